#!/usr/bin/env bash
# Installs what the build needs and runs every test: the CTest suite on the default build, the same
# suite under AddressSanitizer + UBSan + LeakSanitizer, each fuzz target for a short fixed time, and the
# Debian packages installed into a fresh Debian root. `--quick` stops after the first stage; other
# arguments go to the first stage's ctest (e.g. -L storage).
set -euo pipefail
cd "$(dirname "$0")/.."

quick=no
if [ "${1-}" = --quick ]; then quick=yes; shift; fi

stage() { printf '\n=== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

bash scripts/setup.sh
stage "default build and CTest suite"
cmake --preset default
cmake --build --preset default
ctest --preset default "$@"
if [ "$quick" = yes ]; then exit 0; fi

stage "the CTest suite under sanitizers"
bash scripts/test-asan.sh
stage "fuzz targets"
bash scripts/fuzz.sh
stage "Debian packages in a fresh Debian root"
bash scripts/package-test.sh
stage "all tests passed"
