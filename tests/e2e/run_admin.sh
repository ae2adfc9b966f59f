#!/usr/bin/env bash
# Staff mode end to end: the real kiosk under Xvfb on a fresh demo database. kioskctl files a repair,
# admin_ticket.kiosk works it to closed through the admin screens at 1920x1080 (and the customer rates
# it), the ticket is checked in the database; admin_numbers.kiosk calls queue numbers, marks them served
# and no-show and links one to a ticket; then admin_tabs.kiosk photographs every tab at 800x1280.
# Screenshots land in OUT_DIR/shots-1920x1080 and OUT_DIR/shots-800x1280.
set -euo pipefail
kiosk=${1:?usage: run_admin.sh KIOSK KIOSKCTL SCRIPT_DIR OUT_DIR}
kioskctl=$2 scripts=$3 out=$4
rm -rf "$out" && mkdir -p "$out" && cd "$out"
play() {  # SIZE SCRIPT
  LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 ${1}x24" \
    "$kiosk" --demo --db "$out/kiosk.db" --now 2026-11-22T06:00:00Z --windowed --size "$1" --script "$2"
}
printf 'expect-screen attract\n' > seed.kiosk
play 1920x1080 seed.kiosk
ticket=$("$kioskctl" --db "$out/kiosk.db" --now 2026-11-22T05:55:00Z --json ticket create --type repair \
  --gtin 6910000000006 --serial 356938035643809 --purchased 2026-11-15 --phone 13800138000 --problem battery --description "dies at 40" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["number"])')
second=$("$kioskctl" --db "$out/kiosk.db" --now 2026-11-22T05:56:00Z --json ticket create --type repair \
  --gtin 6910000000006 --serial 356938035643817 --purchased 2026-10-02 --phone 13900139000 --problem screen |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["number"])')
sed "s/@TICKET@/$ticket/g; s/@SECOND@/$second/g" "$scripts/admin_ticket.kiosk.in" > admin_ticket.kiosk
play 1920x1080 admin_ticket.kiosk
mv shots shots-1920x1080
"$kioskctl" --db "$out/kiosk.db" --json ticket show "$ticket" > ticket.json
python3 - ticket.json "$out/kiosk.db" <<'PY'
import json, sqlite3, sys
shown = json.load(open(sys.argv[1]))
t = shown.get("ticket", shown)
want = {"status": "closed", "assignee": "E1002", "channel": "in_store"}
bad = {k: (t.get(k), v) for k, v in want.items() if t.get(k) != v}
assert not bad, f"ticket {t['number']} differs (got, want): {bad}"
db = sqlite3.connect(sys.argv[2])
moves = [r[0] for r in db.execute(
    "SELECT to_status FROM ticket_events WHERE ticket_number = ? AND kind = 'status_changed' ORDER BY seq", (t["number"],))]
assert moves == ["received", "diagnosing", "in_repair", "ready_for_pickup", "closed"], moves
actors = {r[0] for r in db.execute(
    "SELECT actor_id FROM ticket_events WHERE ticket_number = ? AND kind = 'status_changed'", (t["number"],))}
assert actors == {"E1001"}, actors
slips = list(db.execute("SELECT reprint FROM print_jobs WHERE ticket_number = ? AND kind = 'intake_slip'", (t["number"],)))
assert slips == [(1,)], f"expected one reprinted intake slip, found {slips}"
scripts = list(db.execute(
    "SELECT value, note, actor_id FROM ticket_events WHERE ticket_number = ? AND kind = 'script_used'", (t["number"],)))
assert scripts == [("warranty-decision", "warranty_decision", "E1001")], f"expected the warranty-decision script marked used, found {scripts}"
print(f"ticket {t['number']} worked to closed by {sorted(actors)}: {' -> '.join(moves)}; script used: {scripts[0][0]}")
PY
"$kioskctl" --db "$out/kiosk.db" --now 2026-11-22T07:00:00Z --json report --period today > report.json
python3 - report.json "$out/kiosk.db" "$second" <<'PY'
import json, sqlite3, sys
report = json.load(open(sys.argv[1]))
assert report["ticketsCreated"] == 2, report["ticketsCreated"]
assert report["csat"]["count"] == 1 and report["csat"]["distribution"] == [0, 0, 0, 0, 1], report["csat"]
db = sqlite3.connect(sys.argv[2])
pending = list(db.execute("SELECT ticket_number FROM approvals"))
assert pending == [(sys.argv[3],)], pending
print(f"report: 2 tickets, one 5/5 rating; approval pending for {sys.argv[3]}")
PY
ls exports/*.csv > /dev/null
# Queue numbers: three taken for pickup, then called, linked, served and given up on the Numbers tab.
for _ in 1 2 3; do "$kioskctl" --db "$out/kiosk.db" --now 2026-11-22T06:00:00Z queue take pickup > /dev/null; done
sed "s/@TICKET@/$ticket/g; s/@SECOND@/$second/g" "$scripts/admin_numbers.kiosk.in" > admin_numbers.kiosk
play 1920x1080 admin_numbers.kiosk
mv shots/* shots-1920x1080/
python3 - "$out/kiosk.db" "$second" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = {r[0]: r[1:] for r in db.execute("SELECT label, state, called_by, ticket_number FROM queue_numbers WHERE service = 'pickup'")}
want = {"A001": ("served", "E1004", sys.argv[2]), "A002": ("no_show", "E1004", ""), "A003": ("called", "E1004", "")}
assert rows == want, f"queue numbers differ (got, want): {rows} {want}"
audited = [r[0] for r in db.execute("SELECT action FROM audit_log WHERE entity = 'queue_number' AND actor_id = 'E1004' ORDER BY id")]
assert audited == ["queue.call", "queue.link", "queue.finish", "queue.call", "queue.finish", "queue.call"], audited
events = [r[0] for r in db.execute("SELECT json_extract(payload, '$.kind') FROM outbox WHERE record_type = 'queue_event' ORDER BY seq")]
assert events == ["taken"] * 3 + ["called", "linked", "served", "called", "no_show", "called"], events
print(f"numbers: A001 served (linked to {sys.argv[2]}), A002 no-show, A003 called, by E1004; {len(events)} queue events queued")
PY
sed "s/@TICKET@/$ticket/g; s/@SECOND@/$second/g" "$scripts/admin_tabs.kiosk.in" > admin_tabs.kiosk
play 800x1280 admin_tabs.kiosk
mv shots shots-800x1280
echo "$(ls shots-1920x1080 | grep -c png) + $(ls shots-800x1280 | grep -c png) admin screens"
