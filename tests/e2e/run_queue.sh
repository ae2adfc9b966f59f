#!/usr/bin/env bash
# Queue numbers on the real kiosk under Xvfb: a customer takes A001 on the touch screen (queue.kiosk);
# meanwhile staff call it with kioskctl and the attract screen, waiting, must redraw with "now serving"
# (the script waits for a frame that shows A001 called, so the board's change reached the screen; the
# idle test proves an unchanged board draws none). A second run takes a number at the end of a filing. The database must
# hold both numbers, the call, and a queue_event for head office for each change.
set -euo pipefail
kiosk=${1:?usage: run_queue.sh KIOSK KIOSKCTL SCRIPT_DIR OUT_DIR}
kioskctl=$2 scripts=$3 out=$4
source "$scripts/wait_for.sh"
rm -rf "$out" && mkdir -p "$out" && cd "$out"
now=2026-11-22T06:00:00Z
play() {
  LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1920x1080x24" \
    "$kiosk" --demo --db "$out/kiosk.db" --now "$now" --windowed --size 1920x1080 --script "$1" --stats
}
ctl() { "$kioskctl" --db "$out/kiosk.db" --now "$now" "$@"; }
taken() { [[ -f "$out/kiosk.db" ]] && ctl queue list --json 2>/dev/null | grep -q '"label":"A001"'; }

play "$scripts/queue.kiosk" > stats.txt &
player=$!
if ! wait_for 120 taken; then
  kill "$player" 2>/dev/null || true
  echo "FAIL: the customer's number A001 never reached the database" >&2
  exit 1
fi
ctl queue take pickup
ctl queue call pickup --by E1004
if ! wait "$player"; then
  echo "FAIL: staff called A001 while the attract screen waited, but no frame showed it (see above)" >&2
  exit 1
fi
frames=$(awk '$1 == "frames-rendered" { print $2 }' stats.txt)

play "$scripts/queue_after_filing.kiosk" > stats-after-filing.txt
ctl queue list --json > queue.json
python3 - "$out/queue.json" <<'PY'
import json, sys
q = json.load(open(sys.argv[1]))
board = {row["service"]: row for row in q["services"]}
numbers = {n["label"]: n for n in q["numbers"]}
assert board["pickup"]["nowServing"] == "A001", board
assert board["pickup"]["waiting"] == 1, board
assert numbers["A001"]["state"] == "called" and numbers["A001"]["calledBy"] == "E1004", numbers["A001"]
assert numbers["C001"]["state"] == "waiting", numbers
PY
events=$(sqlite3 "$out/kiosk.db" "SELECT count(*) FROM outbox WHERE record_type = 'queue_event'")
if [[ "$events" != 4 ]]; then
  echo "FAIL: expected 4 queue_event records for head office (3 taken, 1 called), found $events" >&2
  exit 1
fi
echo "queue: A001 taken on screen and called by staff ($frames frames in all), C001 taken after a filing; $(ls shots | grep -c png) screenshots"
