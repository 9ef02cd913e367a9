# shellcheck shell=bash
# Source after scripts/lib/setup.sh and scripts/lib/browser.sh.
#   ensure_dashboard_built        npm ci + npm run build in ui/dashboard, skipped when dist/
#                                 is newer than every source, the lockfile and ui/lib
#   run_dashboard_browser_tests   builds the binaries the specs start (with the caller's
#                                 cargo environment) and runs the Playwright project
#                                 `dashboard` in Debian's chromium
#   check_generated_types         fails when ui/lib/generated/api.ts is not what
#                                 openapi-typescript makes of docs/openapi.json

dashboard_root() {
    cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd
}

ensure_dashboard_built() {
    local root dir
    root="$(dashboard_root)"
    dir="$root/ui/dashboard"
    if [ ! -d "$dir/node_modules" ] \
        || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
        echo "==> installing the dashboard's packages (npm ci)"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
    # Rebuild when anything that goes into dist/ is newer than its index.html.
    if [ -f "$dir/dist/index.html" ] && [ -z "$(find "$dir/src" "$dir/index.html" "$dir/vite.config.ts" \
        "$dir/tsconfig.json" "$dir/package-lock.json" "$root/ui/lib" -newer "$dir/dist/index.html" -print -quit)" ]; then
        return 0
    fi
    echo "==> building the dashboard (type-check + vite build)"
    (cd "$dir" && npm run build --silent)
}

check_generated_types() {
    local root dir fresh
    root="$(dashboard_root)"
    dir="$root/ui/dashboard"
    ensure_dashboard_built
    fresh="$(mktemp --suffix=.ts)"
    (cd "$dir" && npm run --silent generate:to -- "$fresh" >/dev/null)
    if ! cmp -s "$fresh" "$root/ui/lib/generated/api.ts"; then
        diff -u "$root/ui/lib/generated/api.ts" "$fresh" | head -40 >&2 || true
        rm -f "$fresh"
        echo "ui/lib/generated/api.ts is stale: regenerate it with \`npm run generate\` in ui/dashboard" \
            "(after \`cargo run -p saakshi-server -- openapi > docs/openapi.json\`)" >&2
        return 1
    fi
    rm -f "$fresh"
}

run_dashboard_browser_tests() {
    local root target
    root="$(dashboard_root)"
    ensure_browser_tests
    ensure_dashboard_built
    echo "==> building saakshi-server, saakshi and saakshi-samples for the dashboard specs"
    (cd "$root" && cargo build --locked -p saakshi-server -p saakshi-cli -p saakshi-tests --bins)
    target="${CARGO_TARGET_DIR:-$root/target}"
    case "$target" in /*) ;; *) target="$root/$target" ;; esac
    echo "==> Playwright: dashboard"
    (cd "$root/tests/browser" \
        && SAAKSHI_SERVER_BIN="${SAAKSHI_SERVER_BIN:-$target/debug/saakshi-server}" \
            SAAKSHI_CLI_BIN="${SAAKSHI_CLI_BIN:-$target/debug/saakshi}" \
            SAAKSHI_SAMPLES_BIN="${SAAKSHI_SAMPLES_BIN:-$target/debug/saakshi-samples}" \
            npx playwright test --project dashboard "$@")
}
