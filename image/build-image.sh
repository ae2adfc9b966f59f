#!/usr/bin/env bash
# Builds a bootable kiosk disk image (UEFI, GPT) from Debian 12 packages and the service-kiosk .deb:
# a FAT boot partition with systemd-boot, the kernel and kiosk.conf (first-boot settings), a read-only
# ext4 root, and an ext4 data partition for the database, settings and journal. Needs root, mmdebstrap,
# e2fsprogs, dosfstools, mtools and fdisk; no loop devices or mounts.
# Usage: image/build-image.sh [--debs DIR] [--out FILE] [--cage] [--data-size SIZE] [--mirror URL]
set -euo pipefail
cd "$(dirname "$0")/.."

debs=build/default/packages
out=build/default/kiosk.img
cage=no
data_size=1024      # MiB
esp_size=256        # MiB
mirror=http://deb.debian.org/debian
cache=$(realpath -m "${KIOSK_APT_CACHE:-build/package-apt-cache}")
while [ $# -gt 0 ]; do
    case $1 in
        --debs) debs=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --cage) cage=yes; shift ;;
        --data-size) data_size=$2; shift 2 ;;
        --mirror) mirror=$2; shift 2 ;;
        -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
        *) echo "build-image: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
fail() { echo "build-image: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root (mmdebstrap, file ownership in the root file system)"
for tool in mmdebstrap mkfs.ext4 mkfs.vfat mcopy mmd sfdisk; do
    command -v "$tool" >/dev/null || fail "needs $tool (packages mmdebstrap, e2fsprogs, dosfstools, mtools, fdisk)"
done
kiosk_deb=$(ls "$debs"/service-kiosk_*.deb 2>/dev/null | head -n1)
data_deb=$(ls "$debs"/service-kiosk-data_*.deb 2>/dev/null | head -n1)
[ -n "$kiosk_deb" ] && [ -n "$data_deb" ] || fail "no service-kiosk and service-kiosk-data .debs in $debs (run scripts/package.sh)"

files=$(realpath image/files)
mkdir -p "$cache" "$(dirname "$out")"
work=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$kiosk_deb" "$data_deb" "$work/"

packages=linux-image-amd64,initramfs-tools,systemd,systemd-sysv,systemd-boot-efi,systemd-resolved,udev,dbus
packages+=,libpam-systemd,kbd,iproute2,ca-certificates,e2fsprogs,libgl1-mesa-dri,libegl-mesa0,libgbm1
[ "$cage" = yes ] && packages+=,cage

echo "build-image: the root file system (mmdebstrap)"
mmdebstrap --mode=root --variant=minbase --include="$packages" \
    --aptopt='APT::Install-Recommends "false"' \
    --skip=download/empty --skip=cleanup/apt/cache \
    --setup-hook='mkdir -p "$1/var/cache/apt/archives"' \
    --setup-hook="sync-in '$cache' /var/cache/apt/archives" \
    --essential-hook='echo kiosk >"$1/etc/hostname"' \
    --customize-hook="copy-in '$work/$(basename "$kiosk_deb")' '$work/$(basename "$data_deb")' /tmp" \
    --customize-hook="chroot \"\$1\" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q /tmp/$(basename "$kiosk_deb") /tmp/$(basename "$data_deb")" \
    --customize-hook="sync-out /var/cache/apt/archives '$cache'" \
    --customize-hook='chroot "$1" apt-get clean; rm -f "$1"/tmp/service-kiosk*.deb' \
    --customize-hook="copy-in '$files/fstab' /etc" \
    --customize-hook="copy-in '$files/80-dhcp.network' /etc/systemd/network" \
    --customize-hook="upload '$files/service-kiosk.default' /etc/default/service-kiosk" \
    --customize-hook="upload '$files/kiosk-firstboot' /usr/local/sbin/kiosk-firstboot" \
    --customize-hook='chmod 0755 "$1/usr/local/sbin/kiosk-firstboot"' \
    --customize-hook="upload '$files/kiosk-firstboot.service' /etc/systemd/system/kiosk-firstboot.service" \
    --customize-hook='mkdir -p "$1/boot/efi" "$1/data" "$1/var/log/journal"' \
    --customize-hook='chroot "$1" systemctl enable kiosk-firstboot.service systemd-networkd.service systemd-resolved.service kiosk.service kiosk-sync.service' \
    --customize-hook='chroot "$1" systemctl set-default graphical.target' \
    --customize-hook='printf "127.0.0.1 localhost\n127.0.1.1 kiosk\n" >"$1/etc/hosts"; : >"$1/etc/machine-id"' \
    bookworm "$work/root" "$mirror"
root=$work/root
if [ "$cage" = yes ]; then
    mkdir -p "$root/etc/systemd/system/kiosk.service.d"
    cp "$root/usr/share/doc/service-kiosk/examples/cage.conf" "$root/etc/systemd/system/kiosk.service.d/cage.conf"
fi

echo "build-image: the data partition's first contents"
mkdir -p "$work/data/service-kiosk" "$work/data/journal"
cp -a "$root/var/lib/systemd" "$work/data/systemd"
chown "$(chroot "$root" id -u kiosk):$(chroot "$root" id -g kiosk)" "$work/data/service-kiosk"
chmod 0750 "$work/data/service-kiosk"
chown "0:$(chroot "$root" getent group systemd-journal | cut -d: -f3)" "$work/data/journal"
chmod 2755 "$work/data/journal"

echo "build-image: the boot partition (systemd-boot)"
kernel=$(ls "$root"/boot/vmlinuz-* | sort -V | tail -n1)
initrd=$(ls "$root"/boot/initrd.img-* | sort -V | tail -n1)
[ -f "$kernel" ] && [ -f "$initrd" ] || fail "no kernel or initrd in the root"
cat >"$work/loader.conf" <<LOADER
default kiosk.conf
timeout 0
editor no
LOADER
cat >"$work/entry.conf" <<ENTRY
title   Service kiosk
linux   /vmlinuz
initrd  /initrd.img
options root=LABEL=kiosk-root ro rootwait quiet console=tty1 console=ttyS0,115200 systemd.show_status=true
ENTRY
rm -f "$work/esp.img"
mkfs.vfat -C -F 32 -n KIOSK-ESP "$work/esp.img" $((esp_size * 1024)) >/dev/null
export MTOOLS_SKIP_CHECK=1
mmd -i "$work/esp.img" ::/EFI ::/EFI/BOOT ::/loader ::/loader/entries
mcopy -i "$work/esp.img" "$root/usr/lib/systemd/boot/efi/systemd-bootx64.efi" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$work/esp.img" "$work/loader.conf" ::/loader/loader.conf
mcopy -i "$work/esp.img" "$work/entry.conf" ::/loader/entries/kiosk.conf
mcopy -i "$work/esp.img" "$kernel" ::/vmlinuz
mcopy -i "$work/esp.img" "$initrd" ::/initrd.img
mcopy -i "$work/esp.img" "$files/kiosk.conf" ::/kiosk.conf

echo "build-image: the root and data file systems"
root_mib=$(( $(du -sm "$root" | cut -f1) * 5 / 4 + 64 ))
mkfs.ext4 -q -L kiosk-root -d "$root" "$work/root.img" "${root_mib}M"
mkfs.ext4 -q -L kiosk-data -d "$work/data" "$work/data.img" "${data_size}M"

echo "build-image: the disk"
total=$(( 1 + esp_size + root_mib + data_size + 1 ))
rm -f "$out"
truncate -s "${total}M" "$out"
sfdisk --quiet "$out" <<LAYOUT
label: gpt
start=1MiB, size=${esp_size}MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=esp
size=${root_mib}MiB, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, name=root
size=${data_size}MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=data
LAYOUT
dd if="$work/esp.img" of="$out" bs=1M seek=1 conv=notrunc,sparse status=none
dd if="$work/root.img" of="$out" bs=1M seek=$((1 + esp_size)) conv=notrunc,sparse status=none
dd if="$work/data.img" of="$out" bs=1M seek=$((1 + esp_size + root_mib)) conv=notrunc,sparse status=none
echo "build-image: $out ($total MiB). Flash it (dd if=$(basename "$out") of=/dev/sdX bs=4M), then set STORE, KIOSK"
echo "and the enrolment token in kiosk.conf on its boot partition before the first start."
