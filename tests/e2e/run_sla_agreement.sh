#!/usr/bin/env bash
# The same SLA at both ends (issue 18), through the real programs: a real `headoffice serve` on loopback
# publishes a calendar (weekends closed, Labour Day 2026-05-01..05 off, Saturday 05-09 worked: 调休) and
# SLA targets (repairs resolved within 36 business hours); a kiosk set up as a store applies them with
# `kioskctl sync run`, files a repair and a complaint at fixed times (--now) and works the repair through
# a wait for parts; `kioskctl sync run` takes the events to head office. Then for each ticket the due
# times, states and breach verdict head office's /api/v1 gives equal what `kioskctl --json ticket show`
# computes, and the values worked out by hand (tests/sync/dashboard_fixture.hpp explains them):
#   repair:    first response due 2026-05-06T03:00:00Z, met on time; resolution due 2026-05-12T06:00:00Z,
#              met late at 07:00: breached
#   complaint: never answered; first response due 2026-05-11T01:20:00Z, resolution due 2026-05-18T01:00:00Z
# Both sides evaluate at the machine's clock; once it is past the last deadline here their verdicts no
# longer change (before then the test reports SKIP).
set -euo pipefail
kioskctl=${1:?usage: run_sla_agreement.sh KIOSKCTL HEADOFFICE E2E_DIR OUT_DIR}
headoffice=$2 e2e=$3 out=$4
assets=$(cd "$e2e/../../assets" && pwd)
rm -rf "$out" && mkdir -p "$out" && cd "$out"
server=
cleanup() {
  [[ -n "$server" ]] && kill "$server" 2> /dev/null || true
  wait 2> /dev/null || true
}
trap cleanup EXIT
# shellcheck source=wait_for.sh
source "$e2e/wait_for.sh"
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
k() { "$kioskctl" --config kiosk.toml "$@"; }
if (($(date -u +%Y%m%d) < 20260519)); then
  echo "SKIP: this machine's clock is before the scenario's last deadline (2026-05-18T01:00:00Z)"
  exit 77
fi

printf 'store_code = "S001"\nkiosk_code = "K1"\ndatabase = "kiosk.db"\n' > kiosk.toml
k init > /dev/null
for kind in catalog sales staff; do k import "$kind" "$assets/demo/$kind.csv" > /dev/null; done

ho="sqlite:$out/ho.db"
cat > calendar.toml << 'EOF'
utc_offset = "+08:00"
make_up_hours = ["09:00-18:00"]

[weekly]
mon = ["09:00-18:00"]
tue = ["09:00-18:00"]
wed = ["09:00-18:00"]
thu = ["09:00-18:00"]
fri = ["09:00-18:00"]
sat = []
sun = []

[[holidays]]
name = "劳动节 Labour Day"
from = "2026-05-01"
to = "2026-05-05"
make_up_workdays = ["2026-05-09"]
EOF
sed 's/^resolution = { basis = "calendar", new = "15d", returning = "15d", vip = "180h" }$/resolution = { basis = "business", new = "36h", returning = "36h", vip = "18h" }/' \
  "$assets/sla.toml" > sla.toml
grep -q 'new = "36h"' sla.toml || fail "could not make the SLA targets to publish"
"$headoffice" --db "$ho" publish calendar calendar.toml > /dev/null
"$headoffice" --db "$ho" publish sla sla.toml > /dev/null
token=$("$headoffice" --db "$ho" kiosk add S001 K1 --qr qr.png 2> /dev/null)
api=$("$headoffice" --db "$ho" token add sla-agreement)
"$headoffice" serve --db "$ho" --listen 127.0.0.1:0 > serve.out 2> serve.err &
server=$!
wait_for 60 grep -q 'listening on' serve.out || fail "headoffice serve did not start: $(cat serve.err)"
port=$(sed -n 's/^headoffice: listening on .*:\([0-9]*\)$/\1/p' serve.out)
k enroll "http://127.0.0.1:$port" "$token" > /dev/null
k sync run --once > sync1.out
k sync status > status.out
grep -q 'sla published v1' status.out || fail "the published SLA targets are not in force at the kiosk: $(cat status.out)"
grep -q 'calendar published v1' status.out || fail "the published calendar is not in force at the kiosk: $(cat status.out)"

# The repair: filed Thu 04-30 16:00 (+08:00), received after the holiday, waiting for parts Thu 05-07
# 10:00 to Fri 05-08 17:00, ready Tue 05-12 15:00.
k --now 2026-04-30T08:00:00Z ticket create --type repair --remedy repair --gtin 6910000000006 --purchased 2026-04-01 \
  --problem battery --serial 869000000000017 --description "battery dies" --phone 13800138123 > repair.out
field() { python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
repair=$(k --json ticket list | field '[t["number"] for t in d if t["type"] == "repair"][0]')
step() { k --now "$1" ticket transition "$repair" "$2" --staff E1002 > /dev/null; }
step 2026-05-06T02:30:00Z received
step 2026-05-06T03:00:00Z diagnosing
step 2026-05-07T02:00:00Z awaiting_parts
step 2026-05-08T09:00:00Z in_repair
step 2026-05-12T07:00:00Z ready_for_pickup
# The complaint: filed on the 调休 Saturday 05-09 17:50 and never answered.
k --now 2026-05-09T09:50:00Z ticket create --type complaint --description "nobody called back" --phone 13700137456 > complaint.out
complaint=$(k --json ticket list | field '[t["number"] for t in d if t["type"] == "complaint"][0]')
k sync run --once > sync2.out
k sync status > status2.out

# What each side says: the kiosk's SLA of the ticket, head office's API answer for it.
python3 - "$port" "$api" "$repair" "$complaint" "$kioskctl" << 'EOF'
import json, subprocess, sys, urllib.request
port, api, repair, complaint, kioskctl = sys.argv[1:]

def kiosk(number):
    out = subprocess.run([kioskctl, "--config", "kiosk.toml", "--json", "ticket", "show", number], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)["sla"]

def head_office(number):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/tickets/{number}", headers={"Authorization": f"Bearer {api}"})
    with urllib.request.urlopen(req) as answer:
        return json.load(answer)["sla"]

expected = {
    repair: {"first_response": ("met_on_time", "2026-05-06T03:00:00Z"), "resolution": ("met_late", "2026-05-12T06:00:00Z"), "breached": True},
    complaint: {"first_response": ("breached", "2026-05-11T01:20:00Z"), "resolution": ("breached", "2026-05-18T01:00:00Z"), "breached": True},
}
failed = False
for number, want in expected.items():
    k, h = kiosk(number), head_office(number)
    if h is None:
        sys.exit(f"FAIL: head office gives no SLA for {number}")
    if h["sla_version"] != 1 or h["calendar_version"] != 1:
        print(f"FAIL: head office measured {number} with sla v{h['sla_version']}, calendar v{h['calendar_version']}", file=sys.stderr)
        failed = True
    kiosk_breached = any(k[c]["state"] in ("breached", "met_late") for c in ("first_response", "resolution"))
    for clock in ("first_response", "resolution"):
        if k[clock] != h[clock]:
            print(f"FAIL: {number} {clock}: kiosk {k[clock]}, head office {h[clock]}", file=sys.stderr)
            failed = True
        if (h[clock]["state"], h[clock]["due"]) != want[clock]:
            print(f"FAIL: {number} {clock}: {h[clock]}, expected state and due {want[clock]}", file=sys.stderr)
            failed = True
    if h["breached"] != kiosk_breached or h["breached"] != want["breached"]:
        print(f"FAIL: {number} breached: kiosk {kiosk_breached}, head office {h['breached']}", file=sys.stderr)
        failed = True
    print(f"{number}: first response {h['first_response']['state']} due {h['first_response']['due']}, "
          f"resolution {h['resolution']['state']} due {h['resolution']['due']}, breached {h['breached']}: kiosk and head office agree")
sys.exit(1 if failed else 0)
EOF

# The reports' SLA compliance counts both tickets as breached.
python3 - "$port" "$api" << 'EOF'
import json, sys, urllib.request
port, api = sys.argv[1:]
req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/reports/totals?from=2026-04-01&to=2026-05-31",
                             headers={"Authorization": f"Bearer {api}"})
with urllib.request.urlopen(req) as answer:
    body = json.load(answer)
total = body.get("total", body)
if (total["sla_counted"], total["sla_met"]) != (2, 0):
    sys.exit(f"FAIL: SLA compliance counts {total['sla_met']} met of {total['sla_counted']}, expected 0 of 2: {body}")
print(f"SLA compliance: {total['sla_met']} of {total['sla_counted']} met, as at the kiosk")
EOF
