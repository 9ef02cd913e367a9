#!/usr/bin/env bash
# Every check, as CI runs it: formatting, lints, and all tests of the workspace.
# The disk tests mount small tmpfs file systems, so run this as root (CI does).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/setup.sh
. scripts/lib/peers.sh
. scripts/lib/browser.sh
. scripts/lib/dashboard.sh
ensure_build_tools
# The official tus clients and server the tests use as peers (npm lockfile, venv).
ensure_peers
# The dashboard is built before the server so that the server serves it (debug builds
# read ui/dashboard/dist at run time; release builds embed it).
ensure_dashboard_built

# Lean builds for a 2-core machine: no incremental state, no debug info.
export CARGO_INCREMENTAL=0
export CARGO_PROFILE_DEV_DEBUG=false
export CARGO_PROFILE_TEST_DEBUG=false
export CARGO_TERM_COLOR=never
export RUST_BACKTRACE=1

echo "==> cargo fmt --check"
cargo fmt --all -- --check
echo "==> cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "==> cargo test"
cargo test --workspace --locked
echo "==> fuzzing the parsers of untrusted input (cargo fuzz, bounded; scripts/lib/fuzz.sh)"
. scripts/lib/fuzz.sh && ensure_cargo_fuzz && run_fuzz_targets
echo "==> browser tests: the dashboard against a real server and devices (Debian chromium)"
run_dashboard_browser_tests

# ---- Field app: ui/app + src-tauri (functions in scripts/lib/app.sh) ----------------
# src-tauri is its own Cargo workspace (it embeds the built UI), so the steps above do
# not see it: its fmt/clippy/tests run here, after the UI is built; then the UI specs in
# headless chromium with the IPC mocked, and the real app end to end under Xvfb.
. scripts/lib/app.sh
ensure_app_build_deps
ensure_browser_tests
build_app_ui
app_checks
test_app_ui
build_app_release
test_app_e2e
