#!/usr/bin/env bash
# Sets Saakshi up on a fresh Debian/Ubuntu machine and runs its main job on the embedded
# default. Today that is the field client without a screen (`saakshi`) on sample media
# the repo generates: capture with location, list, status, export. Later issues extend
# this same command to the server and the app.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/setup.sh
ensure_build_tools

echo "==> building (release)"
cargo build --release --locked -p saakshi-cli -p saakshi-tests --bin saakshi --bin saakshi-samples

demo=${SAAKSHI_DEMO_DIR:-$PWD/target/demo}
rm -rf "$demo"
export SAAKSHI_HOME="$demo/home"
saakshi() { ./target/release/saakshi "$@"; }
step() { printf '\n==> %s\n' "$*"; }

step "sample media (geotagged photos, audio) in $demo/samples"
./target/release/saakshi-samples "$demo/samples" >/dev/null
ls -l "$demo/samples"

step "saakshi init"
saakshi init

step "saakshi capture: photos carry their own EXIF GPS"
saakshi capture "$demo"/samples/*.jpg --event "UP yatra 2026" --tag rally \
    --caption "जनसभा में भारी भीड़ / big crowd at the public meeting"

step "saakshi capture: audio with a location typed in"
saakshi capture "$demo"/samples/*.wav --lat 26.8467 --lon 80.9462 --accuracy 25 \
    --tag speech --event "UP yatra 2026"

step "the same photo again is reported, not duplicated"
saakshi capture "$demo/samples/kanpur-booth-104.jpg"

step "saakshi list"
saakshi list

step "saakshi show (by the short id that list prints)"
saakshi show "$(saakshi list --kind audio | awk 'NR==2 {print $1}')"

step "saakshi status"
saakshi status

step "saakshi export"
saakshi export "$demo/export"
ls "$demo/export" | head -4

printf '\nDone. The home is %s; try: SAAKSHI_HOME=%s ./target/release/saakshi list\n' \
    "$SAAKSHI_HOME" "$SAAKSHI_HOME"
