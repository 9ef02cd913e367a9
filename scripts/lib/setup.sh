# Shared by scripts/run.sh and scripts/test.sh: install what a fresh Debian/Ubuntu
# machine lacks. Each step checks first, so a ready machine installs nothing.

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "==> installing ${missing[*]}"
    if [ "$apt_updated" = 0 ]; then
        as_root apt-get update -qq
        apt_updated=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

ensure_rust() {
    if ! command -v cargo >/dev/null 2>&1; then
        [ -x "$HOME/.cargo/bin/cargo" ] || {
            echo "==> installing Rust with rustup (the toolchain is pinned in rust-toolchain.toml)"
            apt_install curl ca-certificates
            curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
        }
        # shellcheck disable=SC1091
        . "$HOME/.cargo/env"
    fi
}

# C compiler for the bundled SQLite, and mount/util-linux used by the disk tests.
ensure_build_tools() {
    apt_install build-essential pkg-config util-linux
    ensure_rust
}
