#!/usr/bin/env bash
# Installs what the build needs, builds everything and runs every test through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake --preset default
cmake --build --preset default
ctest --preset default "$@"
