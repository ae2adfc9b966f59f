#!/usr/bin/env bash
# Scan to screen: the real kiosk (fullscreen under Xvfb, settings as a store has them) reads codes from
# an umockdev-emulated USB scanner (tests/e2e/usb_fixture) while admin mode's device tab shows the last
# code read. The kiosk's --stats give, per scan, the time from the scanner source handing the code over
# to the buffer swap of the first frame that drew it, and the render time of the frames drawn meanwhile:
# the baseline a scan is compared with ("within one frame").
# Usage: bench/scan_to_frame.sh [BUILD_DIR] [SCANS]   (defaults: build/default, 200)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=$(cd "${1:-$root/build/default}" && pwd)
scans=${2:-200}
kiosk=$build/kiosk/app/kiosk
kioskctl=$build/kiosk/app/kioskctl
fixture=$build/tests/libkiosk_usb_fixture.so
[[ -x "$kiosk" && -f "$fixture" ]] || { echo "scan_to_frame: build $build first (kiosk and kiosk_usb_fixture)" >&2; exit 1; }
# shellcheck source=../tests/e2e/wait_for.sh
source "$root/tests/e2e/wait_for.sh"

work=$(mktemp -d)
trap '[[ -s "$work/kiosk.pid" ]] && kill -KILL "$(cat "$work/kiosk.pid")" 2> /dev/null; wait 2> /dev/null; rm -rf "$work"' EXIT
cd "$work"
mkdir -p usb bench-shots
cat > kiosk.toml << 'TOML'
store_code = "S001"
kiosk_code = "K1"
database = "kiosk.db"
default_language = "en"
printer = "file:///dev/null"
[scanner]
usb_devices = ["05e0:1200"]
TOML
"$kioskctl" --config kiosk.toml init > /dev/null
"$kioskctl" --config kiosk.toml import staff "$root/assets/demo/staff.csv" > /dev/null
echo 1006 | "$kioskctl" --config kiosk.toml staff pin set E1006 > /dev/null
usb() {
  local before
  before=$(grep -c '' usb/events.log)
  echo "$*" >> usb/control
  wait_for 30 eval '[[ $(grep -c "" usb/events.log) -gt $before ]]' || { echo "scan_to_frame: the USB fixture did not take '$*'" >&2; exit 1; }
}

LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1920x1080x24" bash -c '
  env LD_PRELOAD="libumockdev-preload.so.0 $1" KIOSK_USB_FIXTURE="$PWD/usb" "${@:2}" > kiosk.out 2> kiosk.err &
  echo $! > kiosk.pid
  wait $!' run "$fixture" "$kiosk" --config "$work/kiosk.toml" --stats --script "$here/scan_to_frame.kiosk" &
wait_for 120 test -s bench-shots/01-attract.png || { echo "scan_to_frame: the kiosk did not start" >&2; cat kiosk.err >&2; exit 1; }
usb scan BADGE:B-1006
wait_for 120 test -s bench-shots/02-devices.png || { echo "scan_to_frame: admin mode's device tab not reached" >&2; exit 1; }
started=$(date +%s%N)
for i in $(seq 1 "$scans"); do
  usb scan "SN$(printf '%06d' "$i")"
  sleep 0.05   # a customer's pace is slower; this keeps each scan in its own frame
done
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
kill -TERM "$(cat kiosk.pid)"
wait_for 60 eval '! kill -0 $(cat kiosk.pid) 2> /dev/null'
stat() { awk -v k="$1" '$1 == k { print $2 }' kiosk.out; }
drawn=$(stat scans-drawn)
printf '\nscan to screen: %s scans sent over %d ms, %s drawn (fullscreen 1920x1080, Mesa llvmpipe under Xvfb)\n\n' \
  "$scans" "$elapsed_ms" "$drawn"
printf '%-44s %10s %10s %10s\n' "measure (ms)" p50 p99 max
printf '%-44s %10s %10s %10s\n' "scan handed over -> its frame swapped" "$(stat scan-to-frame-ms-p50)" \
  "$(stat scan-to-frame-ms-p99)" "$(stat scan-to-frame-ms-max)"
printf '%-44s %10s %10s %10s\n' "baseline: one frame's render (same run)" "$(stat frame-ms-p50-during-waits)" \
  "$(stat frame-ms-p99-during-waits)" "-"
awk -v a="$(stat scan-to-frame-ms-p99)" -v b="$(stat frame-ms-p99-during-waits)" \
  'BEGIN { if (b > 0) printf "\nratio scan-to-frame p99 / frame render p99: %.2f (1.00 = the scan shows in the very frame it wakes)\n", a / b }'
[[ "$drawn" -ge "$scans" ]] || { echo "scan_to_frame: only $drawn of $scans scans were drawn" >&2; exit 1; }
