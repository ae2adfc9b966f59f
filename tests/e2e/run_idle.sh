#!/usr/bin/env bash
# The idle test: the real kiosk under Xvfb waits ten seconds on the attract screen (idle.kiosk) and
# must draw no frame meanwhile, nor spin its loop; start-up frames come before the wait and are not counted.
set -euo pipefail
kiosk=${1:?usage: run_idle.sh KIOSK SCRIPT OUT_DIR [KIOSK_OPTION...]}
script=$2 out=$3
shift 3
rm -rf "$out" && mkdir -p "$out" && cd "$out"
LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1920x1080x24" \
  "$kiosk" --demo --db "$out/kiosk.db" --windowed --size 1920x1080 --script "$script" --stats "$@" | tee stats.txt
frames=$(awk '$1 == "frames-during-waits" { print $2 }' stats.txt)
if [[ "$frames" != 0 ]]; then
  echo "FAIL: the idle kiosk drew ${frames:-an unknown number of} frames while it waited ($(basename "$script"))" >&2
  exit 1
fi
# A loop that sleeps until its next deadline wakes a handful of times; one that spins, thousands.
wakeups=$(awk '$1 == "wakeups-during-waits" { print $2 }' stats.txt)
if [[ -z "$wakeups" || "$wakeups" -gt 50 ]]; then
  echo "FAIL: the idle kiosk's loop woke ${wakeups:-an unknown number of} times while it waited ($(basename "$script")): it spins instead of sleeping" >&2
  exit 1
fi
echo "idle: 0 frames and $wakeups wakeups while waiting ($(basename "$script"))"
