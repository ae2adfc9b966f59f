#!/usr/bin/env bash
# The kiosk as a store installs it: the real `kiosk` program (not --demo), fullscreen under Xvfb,
# configured by a kiosk.toml, with a umockdev-emulated USB barcode scanner and receipt printer
# (tests/e2e/usb_fixture) that its own libusb code finds.
#   1. The customer files a repair by scanning the product with the USB scanner; the receipt's bytes
#      reach the emulated printer.
#   2. The printer runs out of paper; a staff badge scanned opens admin mode's device tab.
#   3. A real `headoffice serve` on loopback publishes a policy with a 10-day return window;
#      `kioskctl sync run --once` applies it, the running kiosk puts it in force between sessions (and
#      draws the new clause's characters), and a customer files a refund on day 9 under it.
#   4. The scanner is unplugged: the kiosk records it missing; after a sync the fleet page in headless
#      Chromium shows this kiosk's paper out and its scanner missing.
#   5. The scanner is plugged back in; garbage reports are ignored; the next scan is read.
#   6. SIGTERM: the kiosk is gone (the time is printed; the target is 2 s) and `kioskctl verify` passes.
# The [scanner] section also holds an unknown key, a malformed USB id and a camera that does not exist:
# each is reported with its line, and the kiosk runs with the sources that work.
# Waits are for conditions, with generous deadlines. Exit 77 (SKIP) without umockdev, chromium or node.
set -euo pipefail
kiosk=${1:?usage: run_as_deployed.sh KIOSK KIOSKCTL HEADOFFICE USB_FIXTURE E2E_DIR WEB_DIR OUT_DIR}
kioskctl=$2 headoffice=$3 fixture=$4 e2e=$5 web=$6 out=$7
assets=$(cd "$e2e/../../assets" && pwd)

chromium=$(command -v chromium || command -v chromium-browser || true)
# (No grep -q after a pipe: its early exit would end ldconfig with SIGPIPE, and pipefail would call that a miss.)
if ! ldconfig -p | grep 'libumockdev-preload\.so\.0' > /dev/null; then echo "SKIP: needs umockdev's preload library"; exit 77; fi
if [[ -z "$chromium" ]] || ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  echo "SKIP: the fleet page check needs chromium, node and npm"
  exit 77
fi
if [[ ! -d "$web/node_modules/playwright-core" ]]; then (cd "$web" && npm ci --no-audit --no-fund); fi

rm -rf "$out" && mkdir -p "$out/usb" "$out/shots" && cd "$out"
server=
xvfb=
cleanup() {
  [[ -s "$out/kiosk.pid" ]] && kill -KILL "$(cat "$out/kiosk.pid")" 2> /dev/null || true
  [[ -n "$xvfb" ]] && kill "$xvfb" 2> /dev/null || true
  [[ -n "$server" ]] && kill "$server" 2> /dev/null || true
  wait 2> /dev/null || true
}
trap cleanup EXIT
# shellcheck source=wait_for.sh
source "$e2e/wait_for.sh"
fail() {
  echo "FAIL: $*" >&2
  echo "--- kiosk's standard error" >&2
  cat "$out/kiosk.err" >&2 || true
  echo "--- usb fixture's events" >&2
  cat "$out/usb/events.log" >&2 || true
  exit 1
}
fact() { sqlite3 "$out/kiosk.db" "SELECT value FROM device_status WHERE name = '$1'" 2> /dev/null || true; }
fact_is() { [[ "$(fact "$1")" == "$2" ]]; }
fact_not() { [[ "$(fact "$1")" != "$2" ]]; }
# usb COMMAND: one command to the emulated devices, waiting until the fixture has carried it out.
usb() {
  local before
  before=$(grep -c '' "$out/usb/events.log")
  echo "$*" >> "$out/usb/control"
  wait_for 30 eval '[[ $(grep -c "" "$out/usb/events.log") -gt $before ]]' || fail "the USB fixture did not take '$*'"
  [[ "$(tail -n 1 "$out/usb/events.log")" == "done $*" ]] || fail "the USB fixture refused '$*': $(tail -n 1 "$out/usb/events.log")"
}
running() { kill -0 "$(cat "$out/kiosk.pid")" 2> /dev/null; }
stopped() { ! running; }

# The store's settings: a USB printer and scanner named by their ids, and three mistakes in [scanner].
cat > kiosk.toml << 'EOF'
store_code = "S001"
kiosk_code = "K1"
database = "kiosk.db"
default_language = "en"
printer = "usb://04b8:0e15"
printer_profile = "epson-tm-t20ii"

[scanner]
keyboard_wedge = true
usb = true
usb_devices = ["05e0:1200", "05e0-1200"]
camera = "/dev/video-none"
beeper = true
EOF
"$kioskctl" --config kiosk.toml init > /dev/null
for kind in catalog sales staff; do "$kioskctl" --config kiosk.toml import "$kind" "$assets/demo/$kind.csv" > /dev/null; done
echo 1006 | "$kioskctl" --config kiosk.toml staff pin set E1006 > /dev/null

# The kiosk, with the USB devices preloaded into it alone (an address-sanitized kiosk needs its runtime first).
# No session bus: without one, libdbus (which SDL opens at start) forks dbus-launch, and a child forked
# while another thread holds the preload's path lock waits for it for ever.
preload="libumockdev-preload.so.0 $fixture"
asan=$(ldd "$kiosk" | awk '/libasan/ { print $3 }')
[[ -n "$asan" ]] && preload="$asan $preload"
LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  out=$1 preload=$2
  shift 2
  env LD_PRELOAD="$preload" KIOSK_USB_FIXTURE="$out/usb" DBUS_SESSION_BUS_ADDRESS="unix:path=$out/no-session-bus" \
    "$@" > "$out/kiosk.out" 2> "$out/kiosk.err" &
  echo $! > "$out/kiosk.pid"
  wait $!
  echo $? > "$out/kiosk.status"' run "$out" "$preload" "$kiosk" --config "$out/kiosk.toml" --now 2026-11-22T06:00:00Z \
  --stats --script "$e2e/as_deployed.kiosk" &
xvfb=$!

# 1. A repair filed by scanning.
wait_for 120 test -s shots/01-scan.png || fail "the kiosk did not reach its scan screen"
usb scan 6910000000006
wait_for 180 test -s shots/03-attract.png || fail "the repair was not filed (see shots/ for the last screen)"
ticket=$("$kioskctl" --config kiosk.toml --json ticket list | python3 -c '
import json, sys
repairs = [t for t in json.load(sys.stdin) if t["type"] == "repair" and t["gtin"] == "06910000000006"]
assert len(repairs) == 1, f"expected one repair for the scanned phone, found {len(repairs)}"
print(repairs[0]["number"])')
receipt_has() { [[ -s usb/printer.bin ]] && grep -aq -- "$1" usb/printer.bin; }
wait_for 60 receipt_has "$ticket" || fail "the receipt for $ticket did not reach the USB printer"
printf '\x1d\x56' > cut.bin
grep -aqF -f cut.bin usb/printer.bin || fail "the receipt sent to the USB printer was not cut"
echo "1. repair $ticket filed by a USB scan; the USB printer received $(stat -c %s usb/printer.bin) bytes with its number"

# 2. Paper out, and the device tab opened by a scanned badge.
usb paper out
wait_for 60 fact_is printer paper_out || fail "the kiosk did not record paper out (printer '$(fact printer)')"
usb scan BADGE:B-1006
wait_for 120 test -s shots/04-admin-devices.png || fail "admin mode's device tab was not reached by a scanned badge"
echo "2. paper out recorded ($(fact paper)); badge scanned into admin mode's device tab"

# The [scanner] mistakes, each named with its line; the sources that work still run.
grep -q "kiosk.toml:11:.*'05e0-1200'" kiosk.err || fail "no message naming the malformed USB id and its line"
grep -q "kiosk.toml:13:.*unknown key 'scanner.beeper'" kiosk.err || fail "no message naming the unknown key and its line"
grep -q "/dev/video-none" <<< "$(fact scanner_detail)" || fail "the missing camera is not in the scanner detail: $(fact scanner_detail)"
fact_is camera failed || fail "camera recorded as '$(fact camera)', not failed"

# 3. Head office publishes a policy with a 10-day return window (and a clause in characters the kiosk
#    has not drawn yet). `kioskctl sync run` applies it; the running kiosk puts it in force between
#    sessions, and the next customer, scanning a phone bought 9 days ago, can choose a refund.
echo 'admin password' | "$headoffice" --db "sqlite:$out/ho.db" user add admin --role admin > /dev/null
token=$("$headoffice" --db "sqlite:$out/ho.db" kiosk add S001 K1 --qr "$out/qr.png" 2> /dev/null)
"$headoffice" serve --db "sqlite:$out/ho.db" --listen 127.0.0.1:0 > serve.out 2> serve.err &
server=$!
wait_for 60 grep -q 'listening on' serve.out || fail "headoffice serve did not start: $(cat serve.err)"
port=$(sed -n 's/^headoffice: listening on .*:\([0-9]*\)$/\1/p' serve.out)
"$kioskctl" --config kiosk.toml enroll "http://127.0.0.1:$port" "$token" > /dev/null
sed -e 's/^return_days = 7$/return_days = 10/' \
    -e 's/zh-Hans = "购买之日起7日内出现性能故障，您可以选择退货、换货或修理。"/zh-Hans = "购买之日起10日内出现性能故障，您可以选择退货、换货或修理（鑫淼门店承诺）。"/' \
    -e 's/en = "Performance fault within 7 days of purchase:/en = "Performance fault within 10 days of purchase:/' \
    "$assets/policy/sanbao.toml" > policy-10.toml
grep -q '鑫淼' policy-10.toml || fail "could not make the 10-day policy"
"$headoffice" --db "sqlite:$out/ho.db" publish policy policy-10.toml > /dev/null
wait_for 60 test -s shots/05-attract.png || fail "the kiosk did not return to its attract screen from admin mode"
"$kioskctl" --config kiosk.toml sync run --once > sync1.out
wait_for 60 grep -q 'now in force: policy published v1;' kiosk.err || fail "the running kiosk did not put the published policy in force"
wait_for 60 grep -q 'fonts rebuilt for [0-9]* new characters' kiosk.err || fail "the kiosk did not add the new clause's characters to its fonts"
usb scan 6910000000006
wait_for 180 test -s shots/07-done-paper-out.png || fail "no refund filed under the published policy (see shots/06-decision-published-policy.png)"
refund=$("$kioskctl" --config kiosk.toml --json ticket list | python3 -c '
import json, sys
refunds = [t for t in json.load(sys.stdin) if t["type"] == "return" and t["remedy"] == "refund"]
assert len(refunds) == 1, f"expected one refund, found {len(refunds)}"
assert refunds[0]["policy_version"] == "published v1", refunds[0]["policy_version"]
print(refunds[0]["number"])')
echo "3. head office's 10-day policy in force between sessions; refund $refund filed on day 9 under 'published v1'"

# 4. The scanner unplugged; head office sees paper out and the scanner missing.
usb unplug-scanner
wait_for 60 fact_is scanner missing || fail "the unplugged scanner was not recorded missing (scanner '$(fact scanner)')"
echo "4. scanner unplugged: recorded '$(fact scanner)' ($(fact scanner_detail))"
"$kioskctl" --config kiosk.toml sync run --once > sync2.out
BASE_URL="http://127.0.0.1:$port" WEB_DIR="$web" CHROMIUM="$chromium" OUT_DIR="$out/shots" USER_NAME=admin \
  PASSWORD='admin password' KIOSK=S001-K1 STATE=paper_out PRINTER=paper_out SCANNER=missing \
  node "$e2e/../web/fleet_check.mjs" || fail "the fleet page does not show this kiosk's devices"

# 5. Plugged back in: garbage is ignored, the next code is read.
usb replug-scanner
wait_for 60 fact_is scanner ok || fail "the replugged scanner was not recorded working (scanner '$(fact scanner)')"
seen=$(fact scanner_seen)
usb garbage
usb scan 6910000000006
wait_for 60 fact_not scanner_seen "$seen" || fail "the scan after the replug was not read"
running || fail "the kiosk stopped"
"$kioskctl" --config kiosk.toml sync run --once > sync3.out
at_ho=$(sqlite3 ho.db "SELECT scanner || ' ' || frame_failures || ' ' || (started_at > 0) FROM kiosk_status WHERE kiosk = 'S001-K1'")
[[ "$at_ho" == "ok 0 1" ]] || fail "head office has scanner, frame failures, start known as '$at_ho' after the replug, not 'ok 0 1'"
at_ho=ok
echo "5. scanner plugged back in: garbage ignored, next scan read; head office has it '$at_ho'"

# 6. SIGTERM.
sent=$(date +%s%N)
kill -TERM "$(cat kiosk.pid)"
wait_for 60 stopped || fail "the kiosk still runs 60 s after SIGTERM"
gone=$(date +%s%N)
wait "$xvfb" || true
xvfb=
[[ "$(cat kiosk.status)" == 0 ]] || fail "the kiosk exited with status $(cat kiosk.status)"
"$kioskctl" --config kiosk.toml verify > verify.out || fail "kioskctl verify after SIGTERM: $(cat verify.out)"
echo "6. SIGTERM: gone in $(((gone - sent) / 1000000)) ms, exit status 0, kioskctl verify passed"
grep '^scan-to-frame' kiosk.out || true
