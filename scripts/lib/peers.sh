# shellcheck shell=bash
# Source this file, then call ensure_peers: it installs the official tus peers
# that the Rust tests drive as subprocesses (tests/peers: tus-js-client,
# @tus/server with @tus/file-store from the npm lockfile, tuspy in a venv),
# and exports
#   SAAKSHI_PEERS_DIR  absolute path of tests/peers
#   SAAKSHI_NODE       the node binary (Node 20 is expected on the machine)
#   SAAKSHI_TUSPY      the venv's python, which has tuspy (import tusclient)
# Each step checks first, so a ready machine installs nothing and prints
# nothing; install chatter goes to stderr. Safe under `set -euo pipefail` and
# from any working directory.

_saakshi_peers_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

_peers_log() { echo "==> $*" >&2; }

# The first word of `sha256sum FILE` plus any extra words, as one line.
_peers_stamp() {
    local file="$1"
    shift
    echo "$(sha256sum "$file" | cut -d' ' -f1) $*"
}

_peers_ensure_node_modules() {
    local dir="$1" want have=""
    want="$(_peers_stamp "$dir/package-lock.json" "node-$(node --version)")"
    if [ -f "$dir/node_modules/.saakshi-stamp" ]; then
        have="$(cat "$dir/node_modules/.saakshi-stamp")"
    fi
    # Missing, or installed from another package-lock.json (or another node).
    if [ -d "$dir/node_modules" ] && [ "$have" = "$want" ] \
        && [ ! "$dir/package-lock.json" -nt "$dir/node_modules/.saakshi-stamp" ]; then
        return 0
    fi
    _peers_log "installing tus peers with npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
    echo "$want" >"$dir/node_modules/.saakshi-stamp"
}

_peers_ensure_venv_module() {
    if python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
        return 0
    fi
    _peers_log "installing python3-venv"
    local sudo=()
    [ "$(id -u)" = 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2
}

# A venv in DIR/.venv with DIR/requirements.txt installed; MODULE (default tusclient)
# is the import that proves the install is whole.
_peers_ensure_venv() {
    local dir="$1" module="${2:-tusclient}" venv="$1/.venv" want have=""
    # A venv whose interpreter is gone (python upgraded or removed) is rebuilt.
    if [ -d "$venv" ] && ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
        _peers_log "removing broken venv $venv"
        rm -rf "$venv"
    fi
    if [ ! -x "$venv/bin/python" ]; then
        _peers_ensure_venv_module
        _peers_log "creating venv $venv"
        python3 -m venv "$venv"
    fi
    want="$(_peers_stamp "$dir/requirements.txt" "$("$venv/bin/python" -c 'import sys; print(sys.version.split()[0])')")"
    if [ -f "$venv/.saakshi-stamp" ]; then
        have="$(cat "$venv/.saakshi-stamp")"
    fi
    if [ "$have" = "$want" ] && "$venv/bin/python" -c "import $module" >/dev/null 2>&1; then
        return 0
    fi
    _peers_log "installing $(tr '\n' ' ' <"$dir/requirements.txt")into $venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        -r "$dir/requirements.txt" >&2
    echo "$want" >"$venv/.saakshi-stamp"
}

ensure_peers() {
    local dir="$_saakshi_peers_root/tests/peers"
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        echo "ensure_peers: node and npm are needed (Node >= 20.19)" >&2
        return 1
    fi
    _peers_ensure_node_modules "$dir"
    _peers_ensure_venv "$dir"
    SAAKSHI_PEERS_DIR="$dir"
    SAAKSHI_NODE="$(command -v node)"
    SAAKSHI_TUSPY="$dir/.venv/bin/python"
    export SAAKSHI_PEERS_DIR SAAKSHI_NODE SAAKSHI_TUSPY
}
