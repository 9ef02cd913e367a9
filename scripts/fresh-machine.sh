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
# A machine behind a TLS-inspecting proxy (this one) trusts the proxy's CA; so does the
# fresh root, or every download inside fails. Debian's ca-certificates, which run.sh
# installs, adds them to the system bundle; Node and pip read their own bundles unless told.
ca_env=()
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    mkdir -p "$root/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
    bundle=/etc/ssl/certs/ca-certificates.crt
    ca_env=("SSL_CERT_FILE=$bundle" "NODE_EXTRA_CA_CERTS=$bundle" "PIP_CERT=$bundle")
    echo "    the host's local CA certificates are trusted inside too"
fi
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
git clone --quiet --no-local "$repo" "$root/root/saakshi"

echo "==> inside: bash scripts/run.sh (log: $log)"
start=$SECONDS
status=0
chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${ca_env[@]}" \
    /bin/bash -c 'cd /root/saakshi && bash scripts/run.sh </dev/null' >"$log" 2>&1 || status=$?
took=$((SECONDS - start))
tail -25 "$log"
echo
echo "fresh Debian 12: scripts/run.sh exited $status after $((took / 60)) min $((took % 60)) s" \
    "(debootstrap before it: $((start / 60)) min $((start % 60)) s)"
exit "$status"
