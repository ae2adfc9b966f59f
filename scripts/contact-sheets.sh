#!/usr/bin/env bash
# Contact sheets of the kiosk: every screen (tests/e2e/all_screens.kiosk and ticket_screens.kiosk, as
# the UI tests play them) in each language at the three panel sizes, one PNG per language in
# build/contact-sheets/contact-sheet-<language>.png, for a person to look over.
# Needs xvfb-run and /usr/bin/python3 with Pillow (python3-pil).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset default >/dev/null
cmake --build --preset default --target kiosk kioskctl
out=$PWD/build/contact-sheets
mkdir -p "$out"
kiosk=$PWD/build/default/kiosk/app/kiosk
kioskctl=$PWD/build/default/kiosk/app/kioskctl
for language in zh-Hans zh-Hant en; do
  dirs=()
  for size in 1920x1080 1280x800 800x1280; do
    bash tests/e2e/run_screens.sh "$kiosk" "$kioskctl" "$PWD/tests/e2e" "$out/$language/$size" "$size" "$language"
    dirs+=("$out/$language/$size")
  done
  /usr/bin/python3 scripts/contact_sheet.py "$out/contact-sheet-$language.png" "Service kiosk: every screen ($language)" "${dirs[@]}"
done
