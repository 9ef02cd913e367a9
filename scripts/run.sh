#!/usr/bin/env bash
# Sets Saakshi up on a fresh Debian/Ubuntu machine and runs its main job on the embedded
# default: a saakshi-server (SQLite + a media folder) with a demo area tree and the
# coordinators' dashboard at its address, and the field app already enrolled in a demo
# booth, holding sample captures that it syncs as it opens. Without a display (no $DISPLAY / $WAYLAND_DISPLAY) it says so, and a field
# device on the `saakshi` CLI captures sample media offline, enrols and syncs instead.
#   SAAKSHI_DEMO_DIR     where the demo lives (default target/demo)
#   SAAKSHI_DEMO_LISTEN  the server's address (default 127.0.0.1:8470)
#   SAAKSHI_DEMO_KEEP=1  leave the server running at the end
#   SAAKSHI_DEMO_APP=0   the CLI device even when there is a display
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/setup.sh
. scripts/lib/dashboard.sh
ensure_build_tools
# Built first: the release server embeds it.
ensure_dashboard_built

echo "==> building (release)"
cargo build --release --locked -p saakshi-cli -p saakshi-server -p saakshi-tests \
    --bin saakshi --bin saakshi-server --bin saakshi-samples

demo=${SAAKSHI_DEMO_DIR:-$PWD/target/demo}
listen=${SAAKSHI_DEMO_LISTEN:-127.0.0.1:8470}
rm -rf "$demo"
mkdir -p "$demo"
export SAAKSHI_HOME="$demo/phone"
saakshi() { ./target/release/saakshi "$@"; }
server() { ./target/release/saakshi-server --data-dir "$demo/server" "$@"; }
step() { printf '\n==> %s\n' "$*"; }

step "saakshi-server on its embedded default (data in $demo/server)"
# The binary itself in the background (not the shell function), so $! is its pid.
./target/release/saakshi-server --data-dir "$demo/server" --listen "$listen" >"$demo/server.log" 2>&1 &
server_pid=$!
[ "${SAAKSHI_DEMO_KEEP:-}" = 1 ] || trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "listening on" "$demo/server.log" && break; sleep 0.1; done
cat "$demo/server.log"
cat >"$demo/areas.csv" <<'CSV'
code,level,name_en,name_hi,parent_code
UP,state,Uttar Pradesh,उत्तर प्रदेश,
LKO,district,Lucknow,लखनऊ,UP
LKO-C,vidhan_sabha,Lucknow Central,लखनऊ मध्य,LKO
M-7,mandal,Hazratganj,हज़रतगंज,LKO-C
B-104,booth,Booth 104,बूथ 104,M-7
CSV
server admin import-areas "$demo/areas.csv"
link=$(server --listen "$listen" admin invite --area B-104 --json | sed -E 's/.*"link":"([^"]+)".*/\1/')
echo "invite link: $link"
coordinator_pw=$(server admin create-user lucknow --role coordinator --area LKO | sed -E 's/.*: //')
dashboard() {
    step "the coordinators' dashboard"
    echo "open http://$listen/ and sign in as lucknow / $coordinator_pw (a first password:"
    echo "the dashboard asks for a new one), or as admin with the one-time password above"
}

step "sample media (geotagged photos, audio) in $demo/samples"
./target/release/saakshi-samples "$demo/samples" >/dev/null
ls "$demo/samples"

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${SAAKSHI_DEMO_APP:-1}" = 1 ]; then
    step "the field app, enrolled in Booth 104 (its data in $demo/app)"
    . scripts/lib/app.sh
    ensure_app_build_deps
    build_app_ui
    build_app_release
    # The app's home is an ordinary device home: prepare it with the CLI, so the app
    # opens enrolled, with captures waiting that it syncs in front of you.
    SAAKSHI_HOME="$demo/app" saakshi init
    SAAKSHI_HOME="$demo/app" saakshi capture "$demo"/samples/*.jpg --event "UP yatra 2026" \
        --tag rally --caption "जनसभा में भारी भीड़ / big crowd at the public meeting"
    SAAKSHI_HOME="$demo/app" saakshi enroll "$link" --name "Booth 104 volunteer (app)"
    dashboard
    echo "Close the app's window to stop the demo (the server stops with it)."
    SAAKSHI_HOME="$demo/app" "$(app_release_bin)" || echo "the app exited with status $?"
    step "what the server holds"
    server admin captures
    exit 0
fi
if [ "${SAAKSHI_DEMO_APP:-1}" = 1 ]; then
    echo "No display here (DISPLAY and WAYLAND_DISPLAY are unset), so the field app cannot open;"
    echo "showing the same path with the saakshi CLI as the device instead."
fi

step "a field device captures with no network: photos carry their own EXIF GPS"
saakshi init
saakshi capture "$demo"/samples/*.jpg --event "UP yatra 2026" --tag rally \
    --caption "जनसभा में भारी भीड़ / big crowd at the public meeting"
saakshi capture "$demo"/samples/*.wav --lat 26.8467 --lon 80.9462 --accuracy 25 \
    --tag speech --event "UP yatra 2026"
saakshi status

step "the same photo again is reported, not duplicated"
saakshi capture "$demo/samples/kanpur-booth-104.jpg"

step "the device enrols with the invite link and syncs"
saakshi enroll "$link" --name "Booth 104 volunteer"
saakshi sync --once
saakshi list

step "what the server holds"
server admin captures

step "saakshi export (media + one JSON manifest per capture), proven offline"
saakshi export "$demo/export"
ls "$demo/export" | head -4
saakshi verify "$demo/export"

dashboard

if [ "${SAAKSHI_DEMO_KEEP:-}" = 1 ]; then
    printf '\nThe server keeps running at http://%s (pid %s); its data is in %s/server\n' \
        "$listen" "$server_pid" "$demo"
else
    printf '\nDone. Run the server yourself: ./target/release/saakshi-server --data-dir %s/server\n' "$demo"
fi
