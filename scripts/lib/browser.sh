# shellcheck shell=bash
# Source after scripts/lib/setup.sh. ensure_browser_tests installs Debian's chromium
# (never a downloaded browser), a Devanagari font, and the Playwright runner from the
# lockfile in tests/browser, then exports SAAKSHI_CHROMIUM.

ensure_browser_tests() {
    apt_install chromium fonts-noto-core
    local dir
    dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../tests/browser" && pwd)"
    if [ ! -d "$dir/node_modules/@playwright/test" ] \
        || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
        echo "==> installing the Playwright runner in $dir"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
    SAAKSHI_CHROMIUM=/usr/bin/chromium
    export SAAKSHI_CHROMIUM
}
