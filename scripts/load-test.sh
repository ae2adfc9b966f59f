#!/usr/bin/env bash
# Proves the suite does not depend on an idle machine: runs the whole CTest suite ROUNDS times (default
# 3) on the default build while stress-ng keeps two CPU hogs busy, then the timing-sensitive labels
# (reliability, sync, ui, admin) under `--repeat until-fail:3`, still under load. Prints a table of
# the rounds; exits 1 if any round failed.
#   scripts/load-test.sh [ROUNDS]
# Environment: KIOSK_LOAD_HOGS (default 2) CPU hogs.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
hogs=${KIOSK_LOAD_HOGS:-2}
command -v stress-ng > /dev/null || { echo "load-test.sh: stress-ng not found (scripts/setup.sh installs it)" >&2; exit 1; }
[ -d build/default ] || { echo "load-test.sh: build the default preset first" >&2; exit 1; }

stress-ng --cpu "$hogs" --timeout 0 --quiet &
hog=$!
trap 'kill "$hog" 2> /dev/null || true; wait "$hog" 2> /dev/null || true' EXIT

results=()
failed=0
run() {
  local name=$1 log=build/default/load-$2.log
  shift 2
  local started status=0
  started=$(date +%s)
  ctest --preset default --output-on-failure "$@" > "$log" 2>&1 || status=$?
  local summary
  summary=$(grep -E '^[0-9]+% tests passed' "$log" | tail -1)
  results+=("$(printf '%-34s %6s s  %s' "$name" "$(( $(date +%s) - started ))" "${summary:-no summary (see the log)}")")
  if [ "$status" -ne 0 ]; then
    failed=1
    grep -E '^\s+[0-9]+ - ' "$log" | sed 's/^/    failed: /' || true
  fi
}
for round in $(seq 1 "$rounds"); do
  run "whole suite, round $round" "round-$round"
done
run "reliability|sync|ui|admin x3" repeat -L 'reliability|sync|ui|admin' --repeat until-fail:3

printf '\nUnder %s CPU hogs (stress-ng --cpu %s) on %s cores; logs in build/default/load-*.log\n' "$hogs" "$hogs" "$(nproc)"
printf '%s\n' "${results[@]}"
exit $failed
