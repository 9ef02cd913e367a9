#!/usr/bin/env bash
# The field app: size of the release binary, and the time from launch to first paint,
# each beside a baseline measured in the same run.
#
#   size      saakshi-app (release, as built) and stripped, beside the `saakshi` CLI
#             (the same core without a window).
#   paint     spawn of the process -> the UI's first screen painted (two animation
#             frames after it rendered; the app says so on stderr), under Xvfb, beside a
#             minimal WebKitGTK window (python3-gi, the same WebKitGTK 4.1) that loads
#             a one-line page and reports its first paint the same way.
#
#   SAAKSHI_BENCH_RUNS  launches of each (default 10, after one discarded warm-up)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/setup.sh
. scripts/lib/app.sh
ensure_build_tools
ensure_app_build_deps
apt_install xvfb xauth python3-gi gir1.2-webkit2-4.1

build_app_ui
build_app_release
cargo build --release --locked -p saakshi-cli --bin saakshi
bin=$(app_release_bin)
cli="$(app_target_dir)/release/saakshi"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp "$bin" "$work/stripped" && strip "$work/stripped"
cp "$cli" "$work/cli-stripped" && strip "$work/cli-stripped"
mib() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

cat >"$work/baseline.py" <<'PY'
# A minimal WebKitGTK window: the floor any WebKit-based app pays before its first paint.
import sys
import gi
gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import Gtk, WebKit2

ucm = WebKit2.UserContentManager()
ucm.register_script_message_handler("painted")
ucm.connect("script-message-received::painted",
            lambda *_: print("baseline: first paint", file=sys.stderr, flush=True))
view = WebKit2.WebView.new_with_user_content_manager(ucm)
win = Gtk.Window(title="baseline")
win.set_default_size(1280, 800)
win.add(view)
win.connect("destroy", Gtk.main_quit)
view.load_html("<p>साक्षी Saakshi</p><script>requestAnimationFrame(() => "
               "requestAnimationFrame(() => webkit.messageHandlers.painted.postMessage('')))"
               "</script>", "file:///")
win.show_all()
Gtk.main()
PY

cat >"$work/paint.py" <<'PY'
# Launches a program N times and times spawn -> the "first paint" line on its stderr.
import os, statistics, subprocess, sys, time

runs, home = int(sys.argv[1]), sys.argv[2]
programs = {
    "saakshi-app": ([sys.argv[3]], "saakshi-app: first paint"),
    "minimal WebKitGTK window": ([sys.executable, sys.argv[4]], "baseline: first paint"),
}

def once(cmd, marker):
    env = dict(os.environ, SAAKSHI_HOME=home)
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for line in p.stderr:
            if marker in line:
                return (time.monotonic() - t0) * 1000
        raise SystemExit(f"{cmd[-1]} exited before its first paint")
    finally:
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()

for name, (cmd, marker) in programs.items():
    once(cmd, marker)  # warm-up: page cache, the home's first creation
    ms = sorted(once(cmd, marker) for _ in range(runs))
    print(f"| {name} | {statistics.median(ms):.0f} ms | {ms[0]:.0f} ms | {ms[-1]:.0f} ms |")
PY

echo
echo "## Field app ($(date -u +%F), $(nproc) cores, WebKitGTK $(dpkg-query -W -f='${Version}' libwebkit2gtk-4.1-0 2>/dev/null))"
echo
echo "| binary | as built | stripped |"
echo "|---|---|---|"
echo "| saakshi-app (release) | $(mib "$bin") | $(mib "$work/stripped") |"
echo "| saakshi CLI (baseline: the same core, no window) | $(mib "$cli") | $(mib "$work/cli-stripped") |"
echo
runs=${SAAKSHI_BENCH_RUNS:-10}
echo "Launch to first paint under Xvfb 1280x800, $runs launches each after a warm-up:"
echo
echo "| program | median | min | max |"
echo "|---|---|---|---|"
# Debian's python3, where python3-gi is (not one a version manager put first on PATH).
xvfb-run -a -s "-screen 0 1280x800x24" \
    /usr/bin/python3 "$work/paint.py" "$runs" "$work/home" "$bin" "$work/baseline.py"
