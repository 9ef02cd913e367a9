# shellcheck shell=bash
# The field app (ui/app + src-tauri): build, lint and test it. Source after
# scripts/lib/setup.sh and scripts/lib/browser.sh; run from the repository root.
#
# src-tauri is its own Cargo workspace (it embeds ui/app/dist, which needs Node to
# build), so the main workspace's fmt/clippy/test never see it; app_checks runs them.
# Its build goes to the same target directory as the rest.

app_target_dir() {
    echo "${CARGO_TARGET_DIR:-$PWD/target}"
}

# Debian's WebKitGTK and the other libraries Tauri links on Linux, and Node for the UI.
ensure_app_build_deps() {
    apt_install build-essential pkg-config libwebkit2gtk-4.1-dev libxdo-dev libssl-dev \
        libayatana-appindicator3-dev librsvg2-dev
    ensure_node
}

# ui/app/dist, which src-tauri embeds (frontendDist) and the browser tests serve.
build_app_ui() {
    if [ ! -d ui/app/node_modules ] \
        || [ ui/app/package-lock.json -nt ui/app/node_modules/.package-lock.json ]; then
        echo "==> installing the field app's UI dependencies (npm ci)"
        (cd ui/app && npm ci --no-audit --no-fund --loglevel=error)
    fi
    # A rebuild touches dist/, which makes cargo rebuild the app that embeds it: skip it
    # when nothing the UI is made of changed since.
    if [ -f ui/app/dist/index.html ] && [ -z "$(find ui/app/src ui/lib ui/app/index.html \
        ui/app/package-lock.json ui/app/vite.config.ts -newer ui/app/dist/index.html \
        -print -quit)" ]; then
        return 0
    fi
    echo "==> building ui/app (tsc + vite)"
    (cd ui/app && npm run --silent build >/dev/null)
}

# fmt, clippy -D warnings and the unit tests of src-tauri (the UI must be built).
app_checks() {
    local target
    target=$(app_target_dir)
    echo "==> src-tauri: cargo fmt --check, clippy, test"
    cargo fmt --manifest-path src-tauri/Cargo.toml -- --check
    cargo clippy --manifest-path src-tauri/Cargo.toml --target-dir "$target" --all-targets \
        --locked -- -D warnings
    cargo test --manifest-path src-tauri/Cargo.toml --target-dir "$target" --locked
}

# The release binary the end-to-end test and the benchmark run.
build_app_release() {
    echo "==> building the field app (release)"
    cargo build --manifest-path src-tauri/Cargo.toml --target-dir "$(app_target_dir)" \
        --release --locked
}

app_release_bin() {
    echo "$(app_target_dir)/release/saakshi-app"
}

# tauri-driver (crates.io), installed once into ~/.cargo/bin.
ensure_tauri_driver() {
    if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
        echo "==> installing tauri-driver"
        cargo install tauri-driver --locked
    fi
    TAURI_DRIVER=$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")
    export TAURI_DRIVER
}

# The Playwright specs of the app with the Tauri IPC mocked: every screen, both
# languages, both sizes; screenshots land in docs/screenshots/app/.
test_app_ui() {
    echo "==> field app UI tests (headless chromium, mocked IPC)"
    (cd tests/browser && npx playwright test --project app --grep-invert "the real app")
}

# The real app under Xvfb, driven by tauri-driver + WebKitWebDriver, against a real
# saakshi-server.
test_app_e2e() {
    apt_install xvfb xauth webkit2gtk-driver
    ensure_tauri_driver
    cargo build --locked -p saakshi-server --bin saakshi-server
    local bin server
    bin=$(app_release_bin)
    server="$(app_target_dir)/debug/saakshi-server"
    echo "==> field app end to end (tauri-driver, WebKitWebDriver, Xvfb, saakshi-server)"
    (cd tests/browser && SAAKSHI_APP_BIN="$bin" SAAKSHI_SERVER_BIN="$server" \
        xvfb-run -a -s "-screen 0 1280x800x24" \
        npx playwright test --project app --grep "the real app")
}
