#!/usr/bin/env bash
# Dependency rules the compiler cannot enforce alone: the core includes only the standard library and
# itself; modules include only the modules they may depend on; head office links no kiosk storage; no
# CMake file globs its sources. With a build directory, the headoffice program's link line is checked.
set -euo pipefail
root=${1:?usage: check_includes.sh SOURCE_ROOT [BUILD_DIR]}
build=${2:-}
cd "$root"
status=0

fail() { echo "$1"; status=1; }

# kiosk/core, every folder of it: standard headers (<name> without a dot or slash) and kiosk/core
# headers only.
while IFS= read -r line; do
  fail "core includes a non-standard header: $line"
done < <(grep -rHnE '^\s*#\s*include' kiosk/core --include='*.hpp' --include='*.cpp' \
           | grep -vE '#\s*include\s*<[a-z_]+>' | grep -vE '#\s*include\s*"kiosk/core/')

# Inside the core: the domain (kiosk/core/*) knows none of the flows; the customer flow (flow/), the
# staff rules (admin/) and the staff flow (admin_flow/, built on admin/) do not know each other
# otherwise.
core_layer() {
  local files=$1 forbidden=$2 what=$3
  while IFS= read -r line; do
    fail "$what: $line"
  done < <(grep -HnE "#\s*include\s*\"kiosk/core/($forbidden)/" $files 2>/dev/null || true)
}
core_layer "$(ls kiosk/core/*.hpp kiosk/core/*.cpp)" 'flow|admin|admin_flow' "the core domain includes a flow"
core_layer "$(find kiosk/core/flow -name '*.?pp')" 'admin|admin_flow' "the customer flow includes staff code"
core_layer "$(find kiosk/core/admin -name '*.?pp')" 'flow|admin_flow' "the staff rules include a flow"
core_layer "$(find kiosk/core/admin_flow -name '*.?pp')" 'flow' "the staff flow includes the customer flow"

# Each module may include only itself and what it depends on (include paths are rooted at the
# project: "kiosk/core/...", "drivers/escpos/...", "sync/...", "ui/...").
check_module() {
  local module=$1 allowed=$2 files
  # Programs (composition roots) live in an app/ folder and may wire anything.
  files=$(find "$module" \( -name '*.hpp' -o -name '*.cpp' \) -not -path '*/app/*' 2>/dev/null)
  [ -n "$files" ] || return 0
  while IFS= read -r line; do
    fail "$module includes outside its dependencies ($allowed): $line"
  done < <(grep -HnE '#\s*include\s*"(kiosk|drivers|sync|ui)/' $files | grep -vE "#\s*include\s*\"($allowed)/")
}
check_module kiosk/config 'kiosk/core|kiosk/config'
check_module kiosk/importer 'kiosk/core|kiosk/importer'
check_module kiosk/input 'kiosk/core|kiosk/input'
check_module kiosk/storage 'kiosk/core|kiosk/storage|sync/wire'
check_module drivers 'kiosk/core|drivers'
check_module sync 'kiosk/core|kiosk/storage|sync'
check_module sync/wire 'kiosk/core|sync/wire'

# The wire format builds on the core, nlohmann::json and OpenSSL only.
while IFS= read -r line; do
  fail "sync/wire includes a third-party header other than nlohmann::json or OpenSSL: $line"
done < <(grep -rHnE '#\s*include\s*<' sync/wire --include='*.hpp' --include='*.cpp' \
           | grep -vE '#\s*include\s*<[a-z_]+>' | grep -vE '#\s*include\s*<(nlohmann|openssl)/' || true)

# Head office (its program included), the wire format and the protocol do not know the kiosk's
# storage; only the kiosk's upload worker (sync/worker.*, and sync/worker_blobs.cpp for its files) does.
while IFS= read -r line; do
  fail "includes the kiosk's storage outside the kiosk's upload worker: $line"
done < <(grep -rHnE '#\s*include\s*"kiosk/storage/' sync --include='*.hpp' --include='*.cpp' | grep -vE '^sync/worker(_blobs)?\.(hpp|cpp):' || true)

# The headoffice program's link line names no kiosk storage, directly or through another library.
if [ -n "$build" ]; then
  if [ -f "$build/build.ninja" ]; then
    link=$(awk '/^build sync\/headoffice:/ { on = 1 } on { print } on && /^$/ { exit }' "$build/build.ninja")
  else
    link=$(cat "$build/sync/CMakeFiles/headoffice.dir/link.txt" 2>/dev/null || true)
  fi
  if [ -z "$link" ]; then
    fail "no link line for headoffice found in $build"
  elif grep -q 'kiosk_storage' <<<"$link"; then
    fail "headoffice links kiosk_storage: $(grep -o '[^ ]*kiosk_storage[^ ]*' <<<"$link" | head -1)"
  fi
fi
check_module ui 'kiosk/core|ui'

# Public headers of config do not leak toml++ (only the internal reader may).
while IFS= read -r line; do
  fail "a public config header includes toml++: $line"
done < <(grep -HnE '#\s*include\s*<toml' kiosk/config/*.hpp | grep -v 'toml_reader.hpp')

# Explicit source lists only.
while IFS= read -r line; do
  fail "CMake globs sources: $line"
done < <(grep -rHniE 'file\s*\(\s*GLOB' --include=CMakeLists.txt --include='*.cmake' . | grep -v '^./build/')

[ $status -eq 0 ] && echo "dependency rules hold"
exit $status
