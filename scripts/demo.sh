#!/usr/bin/env bash
# Installs what the build needs, builds, and starts the demo.
#
# With a display: the kiosk application in a window (`kiosk --demo`), with the demo catalog, sales and
# staff in its own database, a simulated scanner (type a code and press Enter, e.g. 6910000000006) and
# a printer that writes each receipt as a PNG next to that database.
# Without a display (a server, CI): the same core driven through kioskctl — warranty decisions at
# every window, a ticket filed and worked through its lifecycle, the tamper check — then the kiosk
# filing a repair under a virtual display, with a screenshot of every screen.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default --target kiosk kioskctl

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${1:-}" != "--headless" ]; then
  echo "Starting the kiosk demo. Scan by typing a code and Enter, e.g. 6910000000006 (a phone)."
  exec build/default/kiosk/app/kiosk --demo --windowed --size 1280x800
fi

demo_dir=build/demo
rm -rf "$demo_dir"
mkdir -p "$demo_dir"
# The demo data ends on Sunday 2026-11-22; the demo starts at 14:00 store time (06:00 UTC) that day so
# every window shows. The service desk is closed on Sundays (assets/calendar.toml), so staff pick the
# ticket up on Monday morning and the SLA clocks count business hours only.
NOW=2026-11-22T06:00:00Z
kioskctl() { build/default/kiosk/app/kioskctl --db "$demo_dir/kiosk.db" --now "$NOW" "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n$ kioskctl %s\n' "$1" "${*:2}"; kioskctl "${@:2}"; }

step "Create the kiosk database" init --store S001 --kiosk K1
step "Import the catalog" import catalog assets/demo/catalog.csv
step "Import a year of sales" import sales assets/demo/sales.csv
step "Import the staff" import staff assets/demo/staff.csv

step "A phone bought today (day 0): refund, exchange or repair" \
  warranty check --serial SN261122000010 --lang en
step "Day 7 is still inside the 7-day window" \
  warranty check --order SO-S001-20261115-00003 --lang en
step "Day 8: exchange or repair" \
  warranty check --order SO-S001-20261114-00004 --lang en
step "Day 16: free repair within the warranty period" \
  warranty check --order SO-S001-20261106-00007 --lang zh-Hans
step "Two failed repairs of the same fault: exchange or refund" \
  warranty check --order SO-S001-20260526-00010 --repairs 2 --lang en
step "Bought 364 days ago: the phone is covered, its 6-month battery is not" \
  warranty check --order SO-S001-20251123-00012 --component battery --lang en
step "Day 365 is the last day of a 12-month period" \
  warranty check --order SO-S001-20251122-00013 --lang en
step "Day 366: paid repair" \
  warranty check --order SO-S001-20251121-00014 --lang en
step "Liquid damage is excluded: paid repair" \
  warranty check --order SO-S001-20261106-00007 --exclusion liquid_damage --lang zh-Hant
step "No sale on record: the stated date counts, staff verify the proof" \
  warranty check --gtin 6910000000006 --purchased 2026-11-01 --lang en

step "File a repair ticket" \
  ticket create --order SO-S001-20261106-00007 --serial SN261106000070 --phone 13769344675 --problem screen \
  --description "屏幕闪烁 / screen flickers"
number=$(kioskctl --json ticket list --limit 1 | sed -n 's/.*"number":"\([^"]*\)".*/\1/p')
NOW=2026-11-23T01:10:00Z
step "Monday 09:10: staff receive it" ticket transition "$number" received --staff E1004 --note "已收机 / received"
NOW=2026-11-23T02:05:00Z
step "A technician diagnoses" ticket transition "$number" diagnosing --staff E1002
step "A clerk may not order parts" ticket transition "$number" awaiting_parts --staff E1004 || true
NOW=2026-11-23T03:30:00Z
step "The technician waits for parts (the SLA clock pauses)" \
  ticket transition "$number" awaiting_parts --staff E1002 --note "screen ordered"
NOW=2026-11-24T02:00:00Z
step "The ticket, its events and its SLA clocks, on Tuesday" ticket show "$number"
step "Check the event hash chain" verify

printf '\n\033[1m== The kiosk files a repair in English under a virtual display\033[0m\n'
screens="$PWD/$demo_dir/screens"
mkdir -p "$screens"
( cd "$screens" && LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1920x1080x24" \
    "$OLDPWD/build/default/kiosk/app/kiosk" --demo --db "$OLDPWD/$demo_dir/kiosk-app.db" \
    --now 2026-11-22T06:00:00Z --windowed --size 1920x1080 --script "$OLDPWD/tests/e2e/repair_en.kiosk" )
printf 'Screens: %s/shots-en/*.png; receipts: %s/receipts/*.png\n' "$screens" "$demo_dir"
printf '\nThe demo database is %s; run more commands on it with\n  build/default/kiosk/app/kioskctl --db %s --help\n' \
  "$demo_dir/kiosk.db" "$demo_dir/kiosk.db"
