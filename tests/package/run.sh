#!/usr/bin/env bash
# Installs the built .debs into a fresh Debian 12 root made with mmdebstrap (apt resolves their declared
# dependencies) and checks what a store's IT person relies on: files, conffiles, users, units, the
# programs, and a demo ticket filed through kiosk-setup and kioskctl as the kiosk user. Run as root.
# Usage: tests/package/run.sh [DEB_DIR]   (default build/default/packages)
#   KIOSK_APT_CACHE    keeps downloaded Debian packages between runs (default build/package-apt-cache)
#   KIOSK_MIRROR       the Debian mirror (default http://deb.debian.org/debian)
#   KIOSK_KEEP_ROOT=1  leaves the root directory behind for inspection
set -euo pipefail
cd "$(dirname "$0")/../.."

debs=$(realpath "${1:-build/default/packages}")
cache=$(realpath -m "${KIOSK_APT_CACHE:-build/package-apt-cache}")
mirror=${KIOSK_MIRROR:-http://deb.debian.org/debian}
here=$(realpath tests/package)

shopt -s nullglob
packages=("$debs"/service-kiosk_*.deb "$debs"/service-kiosk-headoffice_*.deb "$debs"/service-kiosk-data_*.deb)
[ ${#packages[@]} -eq 3 ] || { echo "package test: want the service-kiosk, -headoffice and -data .debs in $debs (run scripts/package.sh)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "package test: run as root (mmdebstrap, chroot)" >&2; exit 1; }
command -v mmdebstrap >/dev/null || { echo "package test: needs mmdebstrap" >&2; exit 1; }

mkdir -p "$cache"
work=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-package-test.XXXXXX")
if [ "${KIOSK_KEEP_ROOT:-0}" = 1 ]; then
    trap 'echo "package test: root left in $work/root"' EXIT
else
    trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work/debs"
cp "${packages[@]}" "$work/debs/"
names=()
for package in "${packages[@]}"; do names+=("$(basename "$package")"); done

start=$(date +%s)
# The checks run in a customize hook, while mmdebstrap has /proc, /sys and /dev mounted in the root.
mmdebstrap --mode=root --variant=minbase --include=systemd,systemd-sysv,udev,ca-certificates,man-db \
    --aptopt='APT::Install-Recommends "false"' \
    --skip=download/empty --skip=cleanup/apt/cache \
    --setup-hook='mkdir -p "$1/var/cache/apt/archives"' \
    --setup-hook="sync-in '$cache' /var/cache/apt/archives" \
    --customize-hook="copy-in $(printf '%q ' "$work"/debs/*.deb) /tmp" \
    --customize-hook="chroot \"\$1\" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(printf '/tmp/%s ' "${names[@]}")" \
    --customize-hook="sync-out /var/cache/apt/archives '$cache'" \
    --customize-hook="bash '$here/checks.sh' \"\$1\"" \
    bookworm "$work/root" "$mirror"
echo "package test: passed in $(( $(date +%s) - start )) s"
