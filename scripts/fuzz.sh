#!/usr/bin/env bash
# Builds the fuzz targets (fuzz/, clang 16 with libFuzzer, ASan and UBSan) and runs each for a fixed
# time from its committed seed corpus: 10 s each by default, 300 s with --long, or SECONDS if given.
#   scripts/fuzz.sh [--build-only | --run-only] [--long] [SECONDS]
# Environment: KIOSK_FUZZ_BUILD_DIR (default build/fuzz), KIOSK_FUZZ_JOBS (default: every core).
# A crash leaves its input in BUILD_DIR/artifacts/ and makes the script exit 1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=10
mode=all
case "${1:-}" in
  --build-only) mode=build; shift ;;
  --run-only) mode=run; shift ;;
esac
if [[ "${1:-}" == "--long" ]]; then
  seconds=300
  shift
fi
if [[ -n "${1:-}" ]]; then seconds="$1"; fi
build="${KIOSK_FUZZ_BUILD_DIR:-$root/build/fuzz}"
jobs="${KIOSK_FUZZ_JOBS:-$(nproc)}"

compiler="$(command -v clang++-16 || true)"
if [[ -z "$compiler" ]]; then
  echo "fuzz.sh: clang++-16 not found (Debian packages clang-16 and libclang-rt-16-dev)" >&2
  exit 1
fi
launcher=()
if command -v ccache > /dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
targets=(hid_reports_fuzz gs1_fuzz scan_classify_fuzz escpos_status_fuzz receipt_emulator_fuzz csv_import_fuzz
         config_toml_fuzz sync_request_fuzz po_catalog_fuzz)
if [[ $mode != run ]]; then
  mkdir -p "$(dirname "$build")"
  cmake -S "$root/fuzz" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=None -DCMAKE_UNITY_BUILD=ON -DCMAKE_C_COMPILER=clang-16 \
    -DCMAKE_CXX_COMPILER="$compiler" "${launcher[@]}" > "$build.configure.log" 2>&1 ||
    { cat "$build.configure.log" >&2; exit 1; }
  cmake --build "$build" -j "$jobs" --target "${targets[@]}"
fi
[[ $mode == build ]] && exit 0

mkdir -p "$build/artifacts"
failed=0
total=0
printf '%-24s %12s %8s %s\n' target executions corpus result
for target in "${targets[@]}"; do
  work="$build/corpus/$target"
  mkdir -p "$work"
  log="$build/$target.log"
  status=0
  "$build/$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$target-" "$work" "$root/fuzz/corpus/$target" > "$log" 2>&1 || status=$?
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  runs="${runs:-0}"
  total=$((total + runs))
  result=ok
  if [[ $status -ne 0 ]]; then
    result="CRASH (exit $status, see $log)"
    failed=1
  fi
  printf '%-24s %12s %8s %s\n' "$target" "$runs" "$(ls "$work" | wc -l)" "$result"
  if [[ $status -ne 0 ]]; then
    # The report names the input and the fault; the machine that found it may be gone after the run.
    grep -v '^#\|^\s*$\|NEW\|REDUCE\|pulse\|INITED\|^"' "$log" | tail -n 40 | sed 's/^/    /'
    for artifact in "$build/artifacts/$target-"*; do
      if [[ -f $artifact ]]; then
        printf '    artifact %s (base64): %s\n' "$artifact" "$(head -c 2048 "$artifact" | base64 -w0)"
      fi
    done
  fi
done
printf '%-24s %12s\n' total "$total"
exit $failed
