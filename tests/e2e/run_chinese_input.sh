#!/usr/bin/env bash
# End-to-end Chinese input: the real kiosk under Xvfb plays a script that writes the problem with the
# on-screen keyboard, then the description of the ticket it filed is checked through kioskctl.
# Arguments after the expected description go to the kiosk (e.g. --pinyin-dict /missing).
set -euo pipefail
kiosk=${1:?usage: run_chinese_input.sh KIOSK KIOSKCTL SCRIPT OUT_DIR EXPECTED_DESCRIPTION [KIOSK_ARGS...]}
kioskctl=$2 script=$3 out=$4 expected=$5
shift 5
rm -rf "$out" && mkdir -p "$out" && cd "$out"
LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1920x1080x24" \
  "$kiosk" --demo --db "$out/kiosk.db" --now 2026-11-22T06:00:00Z --windowed --size 1920x1080 --script "$script" "$@" \
  2> >(tee "$out/stderr.txt" >&2)
tickets=$("$kioskctl" --db "$out/kiosk.db" --json ticket list)
python3 - "$tickets" "$expected" <<'PY'
import json, sys
tickets = json.loads(sys.argv[1])
repairs = [t for t in tickets if t["type"] == "repair" and t["gtin"] == "06910000000006"]
assert len(repairs) == 1, f"expected one repair for the demo phone, found {len(repairs)}"
got = repairs[0]["description"]
assert got == sys.argv[2], f"description {got!r}, expected {sys.argv[2]!r}"
print(f"ticket {repairs[0]['number']} describes the problem as {got}")
PY
