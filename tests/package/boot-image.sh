#!/usr/bin/env bash
# The long package test, on demand: boots a kiosk disk image under qemu-system-x86_64 (UEFI, software
# emulation when there is no KVM), waits for kiosk.service to report ready, and saves a screenshot of the
# attract screen through the QEMU monitor.
# Usage: tests/package/boot-image.sh IMAGE [OUT_DIR]   (OUT_DIR default: next to IMAGE)
#   KIOSK_BOOT_TIMEOUT  seconds to wait for the kiosk (default 900)
set -euo pipefail

image=$(realpath "$1")
out=$(realpath -m "${2:-$(dirname "$image")/boot-test}")
timeout=${KIOSK_BOOT_TIMEOUT:-900}
firmware=/usr/share/ovmf/OVMF.fd
for tool in qemu-system-x86_64 python3 mtype mcopy; do
    command -v "$tool" >/dev/null || { echo "boot test: needs $tool (packages qemu-system-x86, mtools)" >&2; exit 1; }
done
[ -f "$firmware" ] || { echo "boot test: needs UEFI firmware $firmware (package ovmf)" >&2; exit 1; }

mkdir -p "$out"
rm -f "$out"/serial.log "$out"/attract.ppm "$out"/monitor.sock
# The image is booted from a copy: first boot writes to it.
cp --sparse=always "$image" "$out/disk.img"
# The copy's boot entry forwards the journal to the serial console, where the test watches for the unit.
entry=$(MTOOLS_SKIP_CHECK=1 mtype -i "$out/disk.img@@1M" ::/loader/entries/kiosk.conf)
printf '%s\n' "$entry" | sed '/^options/s/$/ systemd.journald.forward_to_console=1/' >"$out/entry.conf"
MTOOLS_SKIP_CHECK=1 mcopy -o -i "$out/disk.img@@1M" "$out/entry.conf" ::/loader/entries/kiosk.conf
accel=tcg
[ -w /dev/kvm ] && accel=kvm
echo "boot test: booting under QEMU ($accel), waiting up to $timeout s for kiosk.service"
start=$(date +%s)
qemu-system-x86_64 -machine q35,accel=$accel -m 2048 -smp 2 -bios "$firmware" \
    -drive file="$out/disk.img",format=raw,if=virtio -vga std -display none \
    -nic user,model=virtio-net-pci -serial file:"$out/serial.log" \
    -monitor unix:"$out/monitor.sock",server,nowait &
qemu=$!
trap 'kill $qemu 2>/dev/null || true; wait $qemu 2>/dev/null || true' EXIT

monitor() {
    python3 - "$out/monitor.sock" "$1" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(5)
s.recv(4096)
s.sendall((sys.argv[2] + "\n").encode())
time.sleep(2)
try:
    print(s.recv(65536).decode(errors="replace"))
except socket.timeout:
    pass
PY
}

ready=no
while [ $(( $(date +%s) - start )) -lt "$timeout" ]; do
    kill -0 $qemu 2>/dev/null || { echo "boot test: QEMU exited" >&2; break; }
    if grep -aq 'Started kiosk\.service' "$out/serial.log" 2>/dev/null; then ready=yes; break; fi
    if grep -aq 'Failed to start kiosk\.service' "$out/serial.log" 2>/dev/null; then break; fi
    sleep 5
done
elapsed=$(( $(date +%s) - start ))
if [ "$ready" != yes ]; then
    echo "boot test: FAIL: kiosk.service not ready after $elapsed s; the console is in $out/serial.log" >&2
    tail -n 30 "$out/serial.log" >&2 || true
    exit 1
fi
echo "boot test: kiosk.service ready after $elapsed s"
sleep 10
monitor "screendump $out/attract.ppm" >/dev/null
python3 - "$out/attract.ppm" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
# P6 header: magic, width, height, maxval, then RGB bytes.
parts = data.split(maxsplit=4)
width, height, pixels = int(parts[1]), int(parts[2]), parts[4]
colours = len({pixels[i:i + 3] for i in range(0, len(pixels), 3 * 97)})
print(f"boot test: screenshot {width}x{height}, {colours} colours sampled")
sys.exit(0 if colours > 8 else 1)
PY
echo "boot test: passed; the attract screen is $out/attract.ppm"
