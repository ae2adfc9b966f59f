#!/usr/bin/env bash
# Every reachable screen at one display size: the real kiosk under Xvfb plays all_screens.kiosk against
# a fresh demo database, then ticket_screens.kiosk with the number of a ticket the first run filed.
# Any failed step or ImGui assertion (kiosk exit code 4) fails the test; screenshots land in OUT_DIR.
# With LANGUAGE (zh-Hans, zh-Hant or en) every screen is in that language instead of the script's mix.
set -euo pipefail
kiosk=${1:?usage: run_screens.sh KIOSK KIOSKCTL SCRIPT_DIR OUT_DIR WIDTHxHEIGHT [LANGUAGE]}
kioskctl=$2 scripts=$3 out=$4 size=$5 language=${6:-}
rm -rf "$out" && mkdir -p "$out" && cd "$out"
config=()
cp "$scripts/all_screens.kiosk" all_screens.kiosk
if [ -n "$language" ]; then
  printf 'default_language = "%s"\n' "$language" > kiosk.toml
  config=(--config "$out/kiosk.toml")
  tap=$(echo "$language" | tr '[:upper:]' '[:lower:]')
  sed -i "s/tap \"language-[a-z-]*\"/tap \"language-$tap\"/" all_screens.kiosk
fi
play() {
  LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 ${size}x24" \
    "$kiosk" --demo --db "$out/kiosk.db" "${config[@]}" --now 2026-11-22T06:00:00Z --windowed --size "$size" --script "$1"
}
play all_screens.kiosk
ticket=$("$kioskctl" --db "$out/kiosk.db" --json ticket list |
  python3 -c 'import json, sys; print(next(t["number"] for t in json.load(sys.stdin) if t["type"] == "repair"))')
sed "s/@TICKET@/$ticket/" "$scripts/ticket_screens.kiosk.in" > ticket_screens.kiosk
play ticket_screens.kiosk
echo "$(ls shots | grep -c png) screens at $size"
