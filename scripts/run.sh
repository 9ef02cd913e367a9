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

demo=${SAAKSHI_DEMO_DIR:-$PWD/target/demo}
listen=${SAAKSHI_DEMO_LISTEN:-127.0.0.1:8470}
step() { printf '\n==> %s\n' "$*"; }
with_app=0
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${SAAKSHI_DEMO_APP:-1}" = 1 ]; then
    with_app=1
fi

# Everything the machine needs is installed first, so that nothing stops the run after
# a long build: compilers, Rust, Node, and the app's system libraries when it will open.
step "checking what this machine has (installs only what is missing)"
ensure_build_tools
if [ "$with_app" = 1 ]; then
    . scripts/lib/app.sh
    ensure_app_build_deps
fi
# Before building: a server already on the address would answer in ours' place.
host=${listen%:*}
port=${listen##*:}
[ "$host" != 0.0.0.0 ] || host=127.0.0.1
if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
    echo "run.sh: something already listens on $listen. Stop it, or choose another address:" >&2
    echo "    SAAKSHI_DEMO_LISTEN=127.0.0.1:8471 bash scripts/run.sh" >&2
    exit 1
fi
if [ ! -x target/release/saakshi-server ]; then
    echo
    echo "The first run compiles Saakshi in release mode: on a 2-core machine about 15-20 minutes"
    echo "for the server and the CLI. The summary (addresses, sign-ins) prints once the server is up."
    if [ "$with_app" = 1 ]; then
        echo "The field app builds after that, as long again; the dashboard is usable meanwhile."
    fi
fi

# Built first: the release server embeds it.
ensure_dashboard_built
step "building the server, the CLI and the sample generator (release)"
cargo build --release --locked -p saakshi-cli -p saakshi-server -p saakshi-tests \
    --bin saakshi --bin saakshi-server --bin saakshi-samples

rm -rf "$demo"
mkdir -p "$demo"
export SAAKSHI_HOME="$demo/phone"
saakshi() { ./target/release/saakshi "$@"; }
server() { ./target/release/saakshi-server --data-dir "$demo/server" "$@"; }

step "saakshi-server on its embedded default (data in $demo/server)"
# The binary itself in the background (not the shell function), so $! is its pid.
./target/release/saakshi-server --data-dir "$demo/server" --listen "$listen" >"$demo/server.log" 2>&1 &
server_pid=$!
[ "${SAAKSHI_DEMO_KEEP:-}" = 1 ] || trap 'kill $server_pid 2>/dev/null || true' EXIT
# Up means: our process still runs, says it listens, and answers its health check.
for i in $(seq 300); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        cat "$demo/server.log" >&2
        echo "run.sh: the server stopped at start (its log is above)" >&2
        exit 1
    fi
    grep -q "listening on" "$demo/server.log" && curl -fsS "http://$host:$port/healthz" >/dev/null 2>&1 && break
    [ "$i" -lt 300 ] || { cat "$demo/server.log" >&2; echo "run.sh: the server did not answer within 30 s" >&2; exit 1; }
    sleep 0.1
done
admin_pw=$(sed -nE 's/.*created user admin; one-time password: (.*)$/\1/p' "$demo/server.log")
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
coordinator_pw=$(server admin create-user lucknow --role coordinator --area LKO | sed -E 's/.*: //')

# What a user needs to go on, printed as soon as the server is up and again at the end,
# so that it is never lost above a build's output.
summary() {
    printf '\n'
    printf '=%.0s' $(seq 78)
    printf '\n Saakshi is running\n\n'
    printf '   dashboard       http://%s/\n' "$listen"
    printf '   admin           admin / %s   (one-time: the dashboard asks for a new one)\n' "${admin_pw:-?}"
    printf '   coordinator     lucknow / %s   (Lucknow district; a first password too)\n' "$coordinator_pw"
    printf '   device invite   %s   (Booth 104)\n' "$link"
    printf '   data            %s (server: SQLite + media folder; log: %s)\n' "$demo/server" "$demo/server.log"
    printf '   stop            %s\n' "$1"
    case "$host" in
    127.* | localhost | ::1)
        printf '\n   Phones cannot reach %s: the invite above works only on this machine. For a\n' "$host"
        printf '   real phone, listen on the network and say the address phones use, e.g.\n'
        printf '   SAAKSHI_DEMO_LISTEN=0.0.0.0:8470 SAAKSHI_PUBLIC_URL=http://<this machine'"'"'s LAN IP>:8470 bash scripts/run.sh\n'
        ;;
    esac
    printf '=%.0s' $(seq 78)
    printf '\n'
}
if [ "${SAAKSHI_DEMO_KEEP:-}" = 1 ]; then
    how_to_stop="kill $server_pid (the server keeps running after this script)"
elif [ "$with_app" = 1 ]; then
    how_to_stop="close the app's window (the server stops with it), or Ctrl-C here"
elif [ -t 0 ]; then
    how_to_stop="Ctrl-C here (this script keeps the server running until then)"
else
    how_to_stop="the server stops when this script ends (SAAKSHI_DEMO_KEEP=1 keeps it running)"
fi
summary "$how_to_stop"

step "sample media (geotagged photos, audio) in $demo/samples"
./target/release/saakshi-samples "$demo/samples" >/dev/null
ls "$demo/samples"

if [ "$with_app" = 1 ]; then
    step "the field app, enrolled in Booth 104 (its data in $demo/app)"
    build_app_ui
    build_app_release
    # The app's home is an ordinary device home: prepare it with the CLI, so the app
    # opens enrolled, with captures waiting that it syncs in front of you.
    SAAKSHI_HOME="$demo/app" saakshi init
    SAAKSHI_HOME="$demo/app" saakshi capture "$demo"/samples/*.jpg --event "UP yatra 2026" \
        --tag rally --caption "जनसभा में भारी भीड़ / big crowd at the public meeting"
    SAAKSHI_HOME="$demo/app" saakshi enroll "$link" --name "Booth 104 volunteer (app)"
    summary "$how_to_stop"
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

summary "$how_to_stop"
if [ "${SAAKSHI_DEMO_KEEP:-}" != 1 ] && [ -t 0 ]; then
    wait "$server_pid" || true
fi
