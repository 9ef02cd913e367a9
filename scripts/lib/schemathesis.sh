# shellcheck shell=bash
# Source this file, then call run_schemathesis: it installs schemathesis (PyPI, pinned
# in tests/contract/requirements.txt) into tests/contract/.venv the way ensure_peers
# installs tuspy, builds the debug server, and runs tests/contract/run_schemathesis.py:
# a real server seeded with a device and a signed-in admin, every operation of its
# generated OpenAPI document tried with generated requests. It fails on any 5xx.
#
# Bounded for a 2-core machine: SAAKSHI_SCHEMATHESIS_EXAMPLES (default 50; 10 took 25 s here) examples per
# operation, one worker, a fixed seed (so a failure reproduces with the same command).

_saakshi_schemathesis_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$_saakshi_schemathesis_root/scripts/lib/peers.sh"

ensure_schemathesis() {
    _peers_ensure_venv "$_saakshi_schemathesis_root/tests/contract" schemathesis
}

run_schemathesis() {
    local root="$_saakshi_schemathesis_root" target
    ensure_schemathesis
    (cd "$root" && cargo build --locked -p saakshi-server)
    target="${CARGO_TARGET_DIR:-$root/target}"
    case "$target" in /*) ;; *) target="$root/$target" ;; esac
    "$root/tests/contract/.venv/bin/python" "$root/tests/contract/run_schemathesis.py" \
        "${SAAKSHI_SERVER_BIN:-$target/debug/saakshi-server}" \
        "${SAAKSHI_SCHEMATHESIS_EXAMPLES:-50}"
}
