#!/usr/bin/env bash
# The dashboard browser test: makes the data through the real kiosk sync (dashboard_tests' hidden
# fixture), starts `headoffice serve` on loopback, and drives it with headless Chromium.
# Usage: run_web_test.sh HEADOFFICE DASHBOARD_TESTS WEB_DIR OUT_DIR. Exit 77 (skip) without chromium or node.
set -euo pipefail

headoffice=$1
fixture=$2
web_dir=$3
out_dir=$4
here=$(cd "$(dirname "$0")" && pwd)

chromium=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$chromium" ]] || ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "SKIP: the browser test needs chromium, node and npm"
  exit 77
fi
if [[ ! -d "$web_dir/node_modules/playwright-core" ]]; then
  (cd "$web_dir" && npm ci --no-audit --no-fund)
fi

rm -rf "$out_dir"
mkdir -p "$out_dir"
work=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

KIOSK_WEB_FIXTURE_DIR=$work "$fixture" "[.web-fixture]" >"$out_dir/fixture.log" 2>&1 || {
  cat "$out_dir/fixture.log"
  exit 1
}

"$headoffice" --db "sqlite:$work/headoffice.db" store region S012 "华南 South" >>"$out_dir/fixture.log"

"$headoffice" serve --db "sqlite:$work/headoffice.db" --listen 127.0.0.1:0 --silent-after 60 >"$work/serve.out" 2>"$out_dir/serve.log" &
server_pid=$!
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's/^headoffice: listening on .*:\([0-9]*\)$/\1/p' "$work/serve.out")
  [[ -n "$port" ]] && break
  sleep 0.1
done
if [[ -z "$port" ]]; then
  echo "headoffice serve did not start:"
  cat "$out_dir/serve.log"
  exit 1
fi

printf 'gtin,sku,name_zh_hans,name_zh_hant,name_en,category,price,policy_id,serial_required,components\n6910000000007,PH-1,手机,手機,Phone,phone,10.00,sanbao,yes,\n' \
  >"$work/bad_catalog.csv"

BASE_URL="http://localhost:$port" OUT_DIR="$out_dir" CHROMIUM="$chromium" BAD_CATALOG="$work/bad_catalog.csv" \
  WEB_DIR="$web_dir" node "$here/dashboard.test.mjs"
