#!/usr/bin/env bash
# Tries the README's first command as a new user would: on a fresh Debian 12 root made
# with debootstrap (nothing of this machine's Rust, Node or packages inside), a clean
# clone of this repository's HEAD runs `bash scripts/run.sh` with no display (the CLI
# device path), and the time and result are printed at the end. Run as root.
#   SAAKSHI_FRESH_ROOT    where the root is made (default /var/tmp/saakshi-fresh; replaced)
#   SAAKSHI_FRESH_MIRROR  the Debian mirror (default http://deb.debian.org/debian)
# The log of the run inside is $SAAKSHI_FRESH_ROOT.log.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/setup.sh
repo=$PWD
root=${SAAKSHI_FRESH_ROOT:-/var/tmp/saakshi-fresh}
mirror=${SAAKSHI_FRESH_MIRROR:-http://deb.debian.org/debian}
log="$root.log"

[ "$(id -u)" = 0 ] || { echo "fresh-machine.sh: run as root (debootstrap and chroot)" >&2; exit 1; }
apt_install debootstrap git

unmount_all() {
    for m in dev/pts dev sys proc; do
        if mountpoint -q "$root/$m"; then umount -l "$root/$m"; fi
    done
}
trap unmount_all EXIT
unmount_all
rm -rf "$root"

SECONDS=0
echo "==> debootstrap bookworm into $root (from $mirror)"
debootstrap bookworm "$root" "$mirror" >"$log.debootstrap" 2>&1 \
    || { tail -20 "$log.debootstrap" >&2; exit 1; }
echo "    made in $SECONDS s"
# The fresh root's apt reads the same mirror, with the security suite as a real install has.
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${mirror%/debian}/debian-security bookworm-security main
EOF
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
git clone --quiet --no-local "$repo" "$root/root/saakshi"

echo "==> inside: bash scripts/run.sh (log: $log)"
start=$SECONDS
status=0
chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/bash -c 'cd /root/saakshi && bash scripts/run.sh </dev/null' >"$log" 2>&1 || status=$?
took=$((SECONDS - start))
tail -25 "$log"
echo
echo "fresh Debian 12: scripts/run.sh exited $status after $((took / 60)) min $((took % 60)) s" \
    "(debootstrap before it: $((start / 60)) min $((start % 60)) s)"
exit "$status"
