#!/usr/bin/env bash
# Installs the Debian 12 packages the build, the tests and the benchmarks need. Safe to run again.
set -euo pipefail

packages=(
  # build and core libraries
  build-essential cmake ninja-build pkg-config git
  libsqlite3-dev sqlite3 libssl-dev libzstd-dev libargon2-dev libsystemd-dev
  nlohmann-json3-dev libtomlplusplus-dev libcli11-dev libcsv-dev
  # devices: USB printers and scanners, barcodes, images, fonts for receipts and screens
  libusb-1.0-0-dev libzxing-dev libstb-dev fonts-wqy-microhei
  # the kiosk application
  libsdl2-dev libimgui-dev libgl-dev libgl1-mesa-dri gettext
  # Chinese input: pinyin, Simplified to Traditional, handwriting; pictograms for the main actions
  libgooglepinyin0-dev libopencc-dev libopencc-data libzinnia-dev tegaki-zinnia-simplified-chinese
  fonts-material-design-icons-iconfont
  # head office: HTTP, PostgreSQL; HAProxy in front of several servers (tests/reliability/ha_servers_test.cpp)
  libcpp-httplib-dev libcurl4-openssl-dev libpq-dev postgresql haproxy
  # tests and benchmarks: emulated USB devices, a display server, the benchmark library
  catch2 libbenchmark-dev libumockdev-dev umockdev xvfb xauth
  # load for the tests that must pass on a busy machine (scripts/load-test.sh)
  stress-ng
  # where the UI's time goes (bench/ui_bench with perf), the contact sheets of every screen
  linux-perf python3-pil
  # the head-office dashboard in a real browser
  chromium
  # fuzzing with libFuzzer (clang 16: clang 14 cannot compile libstdc++ 12's std::expected), and the
  # package test in a fresh Debian root
  clang-16 libclang-rt-16-dev mmdebstrap dpkg-dev
)

# Node.js drives the browser tests; a machine that already has node and npm (from any source) keeps them.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then as_root=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
