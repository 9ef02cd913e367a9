#!/usr/bin/env bash
# Every check, as CI runs it: formatting, lints, and all tests of the workspace.
# The disk tests mount small tmpfs file systems, so run this as root (CI does).
set -euo pipefail
cd "$(dirname "$0")/.."

# Each phase says how long the one before it took, so CI's log shows where time goes.
phase_name="setup (packages, peers, dashboard build)"
phase_start=$SECONDS
phase() {
    echo "<== ${phase_name}: $((SECONDS - phase_start)) s (total $((SECONDS / 60)) min $((SECONDS % 60)) s)"
    phase_name="$1"
    phase_start=$SECONDS
    echo "==> $1"
}
trap 'phase "end"' EXIT
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

# docs/openapi.json is checked against the server by the cargo tests (tests/openapi.rs);
# the TypeScript types made from it are checked here.
phase "generated TypeScript types are fresh (ui/lib/generated, scripts/lib/dashboard.sh)"
check_generated_types
phase "cargo fmt --check"
cargo fmt --all -- --check
phase "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
phase "unused dependencies (cargo machete; scripts/lib/deps.sh)"
. scripts/lib/deps.sh && ensure_cargo_machete && check_unused_dependencies
phase "cargo test"
cargo test --workspace --locked
# The security suite (tests/tests/security_*.rs) ran above against the debug server; it
# runs again against the release build, the binary people deploy.
phase "security suite against the release server"
cargo build --release --locked -p saakshi-server
security_tests=()
for f in tests/tests/security_*.rs; do security_tests+=(--test "$(basename "$f" .rs)"); done
release_dir="${CARGO_TARGET_DIR:-target}"
case "$release_dir" in /*) ;; *) release_dir="$PWD/$release_dir" ;; esac
SAAKSHI_SERVER_BIN="$release_dir/release/saakshi-server" \
    cargo test --locked -p saakshi-tests "${security_tests[@]}"
phase "schemathesis against the generated OpenAPI document: no 5xx (scripts/lib/schemathesis.sh)"
. scripts/lib/schemathesis.sh && run_schemathesis
phase "fuzzing the parsers of untrusted input (cargo fuzz, bounded; scripts/lib/fuzz.sh)"
. scripts/lib/fuzz.sh && ensure_cargo_fuzz && run_fuzz_targets
phase "browser tests: the dashboard against a real server and devices (Debian chromium)"
run_dashboard_browser_tests

# ---- Field app: ui/app + src-tauri (functions in scripts/lib/app.sh) ----------------
# src-tauri is its own Cargo workspace (it embeds the built UI), so the steps above do
# not see it: its fmt/clippy/tests run here, after the UI is built; then the UI specs in
# headless chromium with the IPC mocked, and the real app end to end under Xvfb.
phase "field app: UI, src-tauri checks, UI specs, release build, end to end"
. scripts/lib/app.sh
ensure_app_build_deps
ensure_browser_tests
build_app_ui
app_checks
test_app_ui
build_app_release
test_app_e2e
