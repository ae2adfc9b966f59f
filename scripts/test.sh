#!/usr/bin/env bash
# Installs what the build needs and runs every test: the CTest suite on the default build, the same
# suite under AddressSanitizer + UBSan + LeakSanitizer, each fuzz target for a short fixed time, and the
# Debian packages installed into a fresh Debian root. `--quick` stops after the first stage's tests;
# other arguments go to the first stage's ctest (e.g. -L storage).
#
# The stages overlap where one waits while the other computes: the sanitizer build runs while the
# default suite runs (much of it waits on programs, displays and sockets), the fuzz build while the
# sanitized suite runs, the package test while the fuzzers run. The suites must pass on a busy machine
# anyway (scripts/load-test.sh). Each background stage writes its own log under build/ci/, shown when
# it ends; a table of every stage's wall time closes the run.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=no
if [ "${1-}" = --quick ]; then quick=yes; shift; fi

mkdir -p build/ci
timings=build/ci/timings.txt
: > "$timings"
run_started=$(date +%s)

stage() { printf '\n=== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }
# timed NAME COMMAND...: runs a stage in the foreground and records its wall time.
timed() {
  local name=$1 started status=0
  shift
  started=$(date +%s)
  stage "$name"
  "$@" || status=$?
  printf '%-40s %5d s  %s\n' "$name" $(($(date +%s) - started)) "$([ $status -eq 0 ] && echo ok || echo "FAILED ($status)")" >> "$timings"
  return $status
}
# background NAME LOG COMMAND...: starts a stage in the background, its output in LOG; sets $bg_pid.
background() {
  local name=$1 log=$2
  shift 2
  stage "$name (in the background, log $log)"
  (
    started=$(date +%s)
    status=0
    "$@" > "$log" 2>&1 || status=$?
    printf '%-40s %5d s  %s\n' "$name" $(($(date +%s) - started)) "$([ $status -eq 0 ] && echo ok || echo "FAILED ($status)")" >> "$timings"
    exit $status
  ) &
  bg_pid=$!
}
# finish NAME LOG PID: waits for a background stage and shows its log.
finish() {
  local name=$1 log=$2 pid=$3 status=0
  wait "$pid" || status=$?
  stage "$name: $([ $status -eq 0 ] && echo done || echo "FAILED ($status)")"
  if [ $status -ne 0 ]; then cat "$log"; else tail -n 15 "$log"; fi
  return $status
}
summary() {
  printf '\n=== stages (wall time; background stages overlap the one beside them)\n'
  cat "$timings"
  printf '%-40s %5d s\n' "whole run" $(($(date +%s) - run_started))
}
trap summary EXIT

timed "setup (Debian packages)" bash scripts/setup.sh
timed "default build" bash -c 'cmake --preset default && cmake --build --preset default'
if [ "$quick" = yes ]; then
  timed "default suite" ctest --preset default "$@"
  exit 0
fi

background "sanitizer build" build/ci/asan-build.log bash scripts/test-asan.sh --build-only
asan_build=$bg_pid
status=0
timed "default suite" ctest --preset default "$@" || status=$?
finish "sanitizer build" build/ci/asan-build.log "$asan_build" || status=$?
[ $status -eq 0 ] || exit $status

background "fuzz build" build/ci/fuzz-build.log bash scripts/fuzz.sh --build-only
fuzz_build=$bg_pid
timed "suite under sanitizers" bash scripts/test-asan.sh --test-only || status=$?
finish "fuzz build" build/ci/fuzz-build.log "$fuzz_build" || status=$?
[ $status -eq 0 ] || exit $status

background "Debian packages in a fresh Debian root" build/ci/packages.log bash scripts/package-test.sh
packages=$bg_pid
timed "fuzz targets" bash scripts/fuzz.sh --run-only || status=$?
finish "Debian packages in a fresh Debian root" build/ci/packages.log "$packages" || status=$?
[ $status -eq 0 ] || exit $status
stage "all tests passed"
