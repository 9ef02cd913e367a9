# shellcheck shell=bash
# Source this file, then call ensure_cargo_fuzz and run_fuzz_targets: the cargo fuzz
# targets of fuzz/ (tus headers, Upload-Metadata, the manifest's canonical form, the
# area CSV import, the push body), each for a bounded time over its committed corpus.
#
# The toolchain is the pinned stable one: RUSTC_BOOTSTRAP=1 lets it take the -Z flags
# cargo fuzz passes. The targets run without a sanitizer: the code under test has no
# `unsafe` (the workspace denies it), so AddressSanitizer would only halve the speed;
# debug assertions stay on, so arithmetic overflow is a crash too.
#
# Settings (environment):
#   SAAKSHI_TOOLS           where tools are installed, outside the clone
#                           (default /var/cache/saakshi-tools)
#   SAAKSHI_FUZZ_RUNS       inputs tried per target (default 100000)
#   SAAKSHI_FUZZ_SEED       libFuzzer's seed (default 1)
#   SAAKSHI_FUZZ_SECONDS    at most this many seconds per target (default 60)
#
# A fixed seed and a count of runs make a CI run repeatable: it tries the same inputs as
# the developer's run of the same commit, so CI fails on a known crash, never on a
# chance one (a slow machine stopped by the time cap tries a prefix of them). Explore
# with another seed and more runs by hand, and keep what you find in the corpus.
#   SAAKSHI_FUZZ_TARGETS    which targets (default: all of `cargo fuzz list`)

_saakshi_fuzz_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
_saakshi_cargo_fuzz_version="0.13.2"

# Installs cargo-fuzz (locked) under $SAAKSHI_TOOLS once; later runs reuse it.
ensure_cargo_fuzz() {
    ensure_cargo_tool cargo-fuzz "$_saakshi_cargo_fuzz_version" cargo-fuzz
}

# Builds every target, then runs each for SAAKSHI_FUZZ_SECONDS over a scratch copy of
# its corpus (new inputs land in the scratch folder, never in the clone). Fails on the
# first crash, naming the input that libFuzzer saved under fuzz/artifacts/<target>/.
run_fuzz_targets() {
    local seconds="${SAAKSHI_FUZZ_SECONDS:-60}" runs="${SAAKSHI_FUZZ_RUNS:-100000}"
    local seed="${SAAKSHI_FUZZ_SEED:-1}" scratch targets t start rc
    (
        cd "$_saakshi_fuzz_root/fuzz" || exit 1
        export RUSTC_BOOTSTRAP=1
        local flags=(--sanitizer none --debug-assertions)
        cargo fmt --check
        start=$SECONDS
        cargo fuzz build "${flags[@]}"
        echo "    built the fuzz targets in $((SECONDS - start)) s"
        targets="${SAAKSHI_FUZZ_TARGETS:-$(cargo fuzz list)}"
        scratch="$(mktemp -d)"
        trap 'rm -rf "$scratch"' EXIT
        for t in $targets; do
            mkdir -p "$scratch/$t" "corpus/$t"
            start=$SECONDS
            rc=0
            cargo fuzz run "${flags[@]}" "$t" "$scratch/$t" "corpus/$t" -- \
                -seed="$seed" -runs="$runs" -max_total_time="$seconds" \
                -rss_limit_mb=512 -timeout=10 \
                -print_final_stats=1 >"$scratch/$t.log" 2>&1 || rc=$?
            if [ "$rc" != 0 ]; then
                tail -n 60 "$scratch/$t.log"
                echo "FUZZ FAILURE: target $t (exit $rc); the input is under fuzz/artifacts/$t/" >&2
                exit 1
            fi
            echo "    $t: $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$scratch/$t.log" | grep -o '[0-9]*$') runs in $((SECONDS - start)) s, no crash"
        done
    )
}
