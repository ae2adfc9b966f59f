#!/usr/bin/env bash
# Builds the Debian packages service-kiosk, service-kiosk-headoffice and service-kiosk-data with CPack
# from the default build (the one the tests run), into build/default/packages/.
#   KIOSK_JOBS  parallel compile jobs (default: every core)
set -euo pipefail
cd "$(dirname "$0")/.."

build=build/default
jobs=${KIOSK_JOBS:-$(nproc)}

cmake --preset default >/dev/null
cmake --build "$build" --target kiosk kioskctl headoffice kiosk_man_pages -j "$jobs"
rm -rf "$build/packages"
cpack --config "$build/CPackConfig.cmake" -B "$build/packages"
rm -rf "$build/packages/_CPack_Packages"
ls -1 "$build"/packages/*.deb
