#!/usr/bin/env bash
# Intake end to end: the real kiosk under Xvfb on a fresh demo database. kioskctl files a repair;
# admin_intake.kiosk takes photos (the demo's recorded frames), notes the condition, has the customer
# sign with replayed strokes and prints the intake slip through the receipt emulator. Then: exactly the
# attached files are in the blob store, the attached event names them, verify passes, the emulator's
# picture of the slip shows the signature, and an edited photo fails verify.
set -euo pipefail
kiosk=${1:?usage: run_admin_intake.sh KIOSK KIOSKCTL SCRIPT_DIR OUT_DIR}
kioskctl=$2 scripts=$3 out=$4
rm -rf "$out" && mkdir -p "$out" && cd "$out"
# shellcheck source=wait_for.sh
source "$scripts/wait_for.sh"
printf 'expect-screen attract\n' > seed.kiosk
LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1920x1080x24" \
  "$kiosk" --demo --db "$out/kiosk.db" --now 2026-11-22T06:00:00Z --windowed --size 1920x1080 --script seed.kiosk
ticket=$("$kioskctl" --db "$out/kiosk.db" --now 2026-11-22T05:55:00Z --json ticket create --type repair \
  --gtin 6910000000006 --serial 356938035643809 --purchased 2026-11-15 --phone 13800138000 --problem battery |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["number"])')
sed "s/@TICKET@/$ticket/g" "$scripts/admin_intake.kiosk.in" > admin_intake.kiosk

LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1920x1080x24" bash -c '
  "$@" > "'"$out"'/kiosk.out" 2> "'"$out"'/kiosk.err" &
  echo $! > "'"$out"'/kiosk.pid"
  wait $!' kiosk "$kiosk" --demo --db "$out/kiosk.db" --now 2026-11-22T06:00:00Z --windowed --size 1920x1080 \
  --script admin_intake.kiosk &
kiosk_pid=$!
slip_printed() { compgen -G "$out/receipts/$ticket-job*.png" > /dev/null; }
# The slip, or the kiosk ending early (a failed step).
slip_or_exit() { slip_printed || ! kill -0 "$kiosk_pid" 2> /dev/null; }
wait_for 300 slip_or_exit || true
if ! slip_printed; then
  echo "FAIL: no intake slip for $ticket came out of the emulated printer" >&2
  cat "$out/kiosk.err" >&2 || true
  kill -TERM "$(cat "$out/kiosk.pid")" 2> /dev/null || true
  exit 1
fi
# The picture is written whole before the job is marked printed.
job_printed() { [[ "$(sqlite3 "$out/kiosk.db" "SELECT state FROM print_jobs WHERE ticket_number = '$ticket'")" == printed ]]; }
wait_for 60 job_printed || { echo "FAIL: the slip's job is not marked printed" >&2; exit 1; }
kill -TERM "$(cat "$out/kiosk.pid")"
wait "$kiosk_pid" || true
ls shots/intake-0{1,2,3,4}-*.png > /dev/null

python3 - "$out/kiosk.db" "$ticket" "$out/kiosk.db.blobs" "$out/receipts" <<'PY'
import glob, json, os, sqlite3, struct, sys, zlib
db = sqlite3.connect(sys.argv[1])
ticket, blobs, receipts = sys.argv[2], sys.argv[3], sys.argv[4]
events = list(db.execute("SELECT note, payload FROM ticket_events WHERE ticket_number = ? AND kind = 'attached'", (ticket,)))
assert len(events) == 1, f"expected one attached event, found {len(events)}"
note, payload = events[0]
files = json.loads(payload)
kinds = [f["kind"] for f in files]
assert kinds == ["photo", "photo", "signature", "signature_strokes"], kinds
assert note == "scratch on lid", note
on_disk = sorted(os.listdir(blobs))
assert on_disk == sorted(f["sha256"] for f in files), f"blob store holds {on_disk}, the event names {files}"
strokes = json.load(open(os.path.join(blobs, files[3]["sha256"])))
assert len(strokes) == 2 and len(strokes[0]) >= 7, strokes

def read_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8, depth
            channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([line[x * channels] < 128 for x in range(width)])
        prev = line
    return width, rows

slip = sorted(glob.glob(os.path.join(receipts, ticket + "-job*.png")))[-1]
width, rows = read_png(slip)
# The underline stroke (0.15..0.85 across, 0.85 down) prints as one unbroken line across the middle
# of the paper in the slip's last part; the zigzag above it crosses many columns.
def longest_run(row):
    best = run = 0
    for dark in row:
        run = run + 1 if dark else 0
        best = max(best, run)
    return best
tail = rows[-400:]
underline = [y for y, row in enumerate(tail) if longest_run(row) > 0.6 * 0.7 * 384]
assert underline, f"no signature underline in the last 400 rows of {slip}"
top = underline[0]
zigzag = tail[max(0, top - 110):top - 8]
columns = {x for row in zigzag for x, dark in enumerate(row) if dark}
assert len(columns) > 120, f"the signature's zigzag covers {len(columns)} columns in {slip}"
print(f"{os.path.basename(slip)}: {width}x{len(rows)} dots, signature underline {len(tail) - top} rows from the end, "
      f"zigzag over {len(columns)} columns; {len(files)} files attached")
PY

"$kioskctl" --db "$out/kiosk.db" --json verify > verify.json
python3 -c 'import json, sys; v = json.load(open("verify.json")); assert v["ok"] and v["files_checked"] == 4, v'
"$kioskctl" --db "$out/kiosk.db" receipt print "$ticket" --slip --printer "file://$out/slip.bin" > /dev/null
echo "intake slip: $(stat -c %s slip.bin) bytes of ESC/POS"
photo=$(python3 -c 'import json, sqlite3, sys; db = sqlite3.connect(sys.argv[1]); p = json.loads(db.execute("SELECT payload FROM ticket_events WHERE kind = '"'attached'"'").fetchone()[0]); print(p[0]["sha256"])' "$out/kiosk.db")
printf 'X' | dd of="$out/kiosk.db.blobs/$photo" bs=1 seek=700 conv=notrunc status=none
if "$kioskctl" --db "$out/kiosk.db" verify > verify.txt 2>&1; then
  echo "FAIL: verify passed with an edited photo" >&2
  exit 1
fi
grep -q "Ticket $ticket, photo ${photo:0:12}: .* has changed" verify.txt
echo "an edited photo fails verify: $(grep "has changed" verify.txt)"
