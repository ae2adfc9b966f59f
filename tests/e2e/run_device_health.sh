#!/usr/bin/env bash
# Device health reaches head office as deployed: the real kiosk under Xvfb sees its printer run out of
# paper and records it in its database; `kioskctl sync run --once` sends it to a real `headoffice serve`
# on loopback, whose fleet data then says paper_out for that kiosk. Waits are for conditions, with
# generous deadlines.
set -euo pipefail
kiosk=${1:?usage: run_device_health.sh KIOSK KIOSKCTL HEADOFFICE E2E_DIR OUT_DIR}
kioskctl=$2 headoffice=$3 e2e=$4 out=$5
rm -rf "$out" && mkdir -p "$out" && cd "$out"

server=
kiosk_pid=
cleanup() {
  [[ -n "$kiosk_pid" ]] && kill "$kiosk_pid" 2> /dev/null || true
  [[ -n "$server" ]] && kill "$server" 2> /dev/null || true
  wait 2> /dev/null || true
}
trap cleanup EXIT
# shellcheck source=wait_for.sh
source "$e2e/wait_for.sh"
fact() { sqlite3 "$out/kiosk.db" "SELECT value FROM device_status WHERE name = '$1'" 2> /dev/null || true; }
paper_out() { [[ "$(fact printer)" == paper_out && "$(fact paper)" == out ]]; }

LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  "$@" > "'"$out"'/kiosk.out" 2> "'"$out"'/kiosk.err" &
  echo $! > "'"$out"'/kiosk.pid"
  wait $!' kiosk "$kiosk" --demo --db "$out/kiosk.db" --windowed --size 1280x800 --script "$e2e/printer_out.kiosk" &
kiosk_pid=$!
if ! wait_for 180 paper_out; then
  echo "FAIL: the kiosk did not record its printer out of paper (printer '$(fact printer)', paper '$(fact paper)')" >&2
  cat "$out/kiosk.err" >&2 || true
  exit 1
fi
echo "kiosk recorded: printer $(fact printer), paper $(fact paper), software $(fact software)"
kill -TERM "$(cat "$out/kiosk.pid")"
wait "$kiosk_pid" || true
kiosk_pid=

ho="sqlite:$out/ho.db"
token=$("$headoffice" --db "$ho" kiosk add S001 K1 --qr "$out/qr.png" 2> /dev/null)
"$headoffice" serve --db "$ho" --listen 127.0.0.1:0 > "$out/serve.out" 2> "$out/serve.err" &
server=$!
port_known() { grep -q 'listening on' "$out/serve.out"; }
wait_for 60 port_known || { echo "FAIL: headoffice serve did not start" >&2; cat "$out/serve.err" >&2; exit 1; }
port=$(sed -n 's/^headoffice: listening on .*:\([0-9]*\)$/\1/p' "$out/serve.out")
"$kioskctl" --db "$out/kiosk.db" enroll "http://127.0.0.1:$port" "$token"
"$kioskctl" --db "$out/kiosk.db" sync run --once
seen=$(sqlite3 "$out/ho.db" "SELECT printer || ' ' || paper || ' ' || software FROM kiosk_status WHERE kiosk = 'S001-K1'")
echo "head office has: $seen"
if [[ "$seen" != "paper_out out "* ]]; then
  echo "FAIL: head office's fleet data for S001-K1 is '$seen', not paper_out" >&2
  exit 1
fi
