#!/usr/bin/env bash
# Dependency rules the compiler cannot enforce alone: the core includes only the standard library and
# itself; modules include only the modules they may depend on; no CMake file globs its sources.
set -euo pipefail
root=${1:?usage: check_includes.sh SOURCE_ROOT}
cd "$root"
status=0

fail() { echo "$1"; status=1; }

# kiosk/core: standard headers (<name> without a dot or slash) and kiosk/core headers only.
while IFS= read -r line; do
  fail "core includes a non-standard header: $line"
done < <(grep -HnE '^\s*#\s*include' kiosk/core/*.hpp kiosk/core/*.cpp \
           | grep -vE '#\s*include\s*<[a-z_]+>' | grep -vE '#\s*include\s*"kiosk/core/')

# Each module may include only itself and what it depends on.
check_module() {
  local module=$1 allowed=$2
  while IFS= read -r line; do
    fail "$module includes outside its dependencies ($allowed): $line"
  done < <(grep -HnE '#\s*include\s*"kiosk/' "kiosk/$module"/*.hpp "kiosk/$module"/*.cpp \
             | grep -vE "#\s*include\s*\"kiosk/($allowed)/")
}
check_module config 'core|config'
check_module importer 'core|importer'
check_module storage 'core|storage'

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
