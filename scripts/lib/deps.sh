# shellcheck shell=bash
# Source this file, then call ensure_cargo_machete and check_unused_dependencies: every
# dependency a Cargo.toml declares must be used by its crate (the workspace, src-tauri
# and fuzz/ are separate workspaces; each is checked). cargo-machete reads the sources,
# so it needs no build; a crate whose import name differs from its package name is
# listed under [package.metadata.cargo-machete] in that crate's Cargo.toml, with why.
#
#   SAAKSHI_TOOLS   where tools are installed, outside the clone
#                   (default /var/cache/saakshi-tools)

_saakshi_deps_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
_saakshi_cargo_machete_version="0.9.1"

# Installs cargo-machete (locked) under $SAAKSHI_TOOLS once; later runs reuse it.
ensure_cargo_machete() {
    ensure_cargo_tool cargo-machete "$_saakshi_cargo_machete_version" cargo-machete
}

# Fails naming any declared but unused dependency.
check_unused_dependencies() {
    local dir
    for dir in . src-tauri fuzz; do
        echo "==> unused dependencies in $dir"
        (cd "$_saakshi_deps_root/$dir" && cargo machete) || return 1
    done
}
