#!/usr/bin/env bash
# Builds the Debian packages and installs them into a fresh Debian 12 root to check them (as root).
# With --image also builds the disk image and boots it under QEMU (slow: software emulation).
set -euo pipefail
cd "$(dirname "$0")/.."

image=no
if [ "${1-}" = --image ]; then image=yes; shift; fi
packages=build/default/packages
bash scripts/package.sh
bash tests/package/run.sh "$packages"
if [ "$image" = yes ]; then
    bash image/build-image.sh --debs "$packages" --out build/default/kiosk.img
    bash tests/package/boot-image.sh build/default/kiosk.img
fi
