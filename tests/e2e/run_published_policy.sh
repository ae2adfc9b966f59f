#!/usr/bin/env bash
# Head office's published warranty policy in force at the kiosk, through the real programs: a kiosk set
# up as a store sets it up (kiosk.toml, kioskctl init and import), a real `headoffice serve` on loopback.
#   1. Under the built-in policy (7-day return window) a fault on day 9 gets no refund.
#   2. Head office publishes the policy with a 10-day return window; after `kioskctl sync run --once`
#      the same check on day 9 allows a refund and names "published v1"; a ticket filed then records
#      that version, and head office receives it.
#   3. A version the kiosk's loader refuses (one head office put in place without checking it, as an
#      older head office might): the kiosk keeps v1 in force, `kioskctl sync status` says why, and head
#      office's fleet data names the refused version.
#   4. A good v3 replaces it: in force, and the refusal is cleared at head office.
#   5. Self-help suggestions are published the same way; a malformed file publishes nothing.
#   6. So are the service scripts (话术库): in force after a sync; a file with an unknown placeholder is
#      refused with FILE:LINE.
#   7. So are the customer messages: off in force after a sync, and the receipt then promises none.
set -euo pipefail
kioskctl=${1:?usage: run_published_policy.sh KIOSKCTL HEADOFFICE E2E_DIR OUT_DIR}
headoffice=$2 e2e=$3 out=$4
assets=$(cd "$e2e/../../assets" && pwd)
rm -rf "$out" && mkdir -p "$out" && cd "$out"
server=
cleanup() {
  [[ -n "$server" ]] && kill "$server" 2> /dev/null || true
  wait 2> /dev/null || true
}
trap cleanup EXIT
# shellcheck source=wait_for.sh
source "$e2e/wait_for.sh"
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
k() { "$kioskctl" --config kiosk.toml "$@"; }
# The day-9 claim: a phone bought on 2026-11-13 with a performance fault, decided on 2026-11-22.
check() { k --json warranty check --gtin 6910000000006 --purchased 2026-11-13 --today 2026-11-22; }
field() { python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

printf 'store_code = "S001"\nkiosk_code = "K1"\ndatabase = "kiosk.db"\n' > kiosk.toml
k init > /dev/null
for kind in catalog sales staff; do k import "$kind" "$assets/demo/$kind.csv" > /dev/null; done

# 1. The built-in policy.
before=$(check)
[[ "$(field 'd["policy_version"]' <<< "$before")" == "file sanbao.toml" ]] || fail "policy in force is not the file: $before"
[[ "$(field '"refund" in d["remedies"]' <<< "$before")" == False ]] || fail "day 9 allowed a refund under the 7-day window"
echo "1. built-in policy: day 9 remedies $(field 'd["remedies"]' <<< "$before")"

ho="sqlite:$out/ho.db"
token=$("$headoffice" --db "$ho" kiosk add S001 K1 --qr qr.png 2> /dev/null)
"$headoffice" serve --db "$ho" --listen 127.0.0.1:0 > serve.out 2> serve.err &
server=$!
wait_for 60 grep -q 'listening on' serve.out || fail "headoffice serve did not start: $(cat serve.err)"
port=$(sed -n 's/^headoffice: listening on .*:\([0-9]*\)$/\1/p' serve.out)
k enroll "http://127.0.0.1:$port" "$token" > /dev/null

# 2. Published: a 10-day return window.
sed 's/^return_days = 7$/return_days = 10/' "$assets/policy/sanbao.toml" > policy-10.toml
grep -q '^return_days = 10$' policy-10.toml || fail "could not make the 10-day policy"
"$headoffice" --db "$ho" publish policy policy-10.toml > /dev/null
k sync run --once > sync1.out
after=$(check)
[[ "$(field 'd["policy_version"]' <<< "$after")" == "published v1" ]] || fail "the published policy is not in force: $after"
[[ "$(field '"refund" in d["remedies"]' <<< "$after")" == True ]] || fail "day 9 allows no refund under the published policy: $after"
echo "2. published v1 in force: day 9 remedies $(field 'd["remedies"]' <<< "$after")"
k ticket create --type return --remedy refund --gtin 6910000000006 --purchased 2026-11-13 --today 2026-11-22 --problem battery \
  --serial 869000000000009 --description "dies at 40" --phone 13800138000 > ticket.out
number=$(k --json ticket list | field '[t["number"] for t in d if t["type"] == "return"][0]')
[[ "$(k --json ticket show "$number" | field 'd["policy_version"]')" == "published v1" ]] || fail "ticket $number does not record the policy version"
k sync run --once > sync2.out
at_ho=$(sqlite3 ho.db "SELECT count(*) FROM records WHERE payload LIKE '%\"policyVersion\":\"published v1\"%'")
[[ "$at_ho" -ge 1 ]] || fail "head office has no record of ticket $number's policy version"
echo "   ticket $number records 'published v1'; head office has it"

# 3. A version the kiosk's loader refuses.
sqlite3 ho.db "INSERT INTO dataset_versions (dataset, version, items, document, source, published_at)
               VALUES ('policy', 2, '', 'id = \"sanbao\"
return_days = \"ten\"', 'another head office', 0)"
k sync run --once > sync3.out
k sync run --once > sync4.out
still=$(check)
[[ "$(field 'd["policy_version"]' <<< "$still")" == "published v1" ]] || fail "the refused v2 displaced v1: $still"
k sync status > status.out
grep -q '^In force: policy published v1;' status.out || fail "sync status does not show v1 in force: $(cat status.out)"
grep -q '^Refused: policy v2: published policy v2:[0-9]*:[0-9]*: ' status.out || fail "sync status does not say why v2 was refused: $(cat status.out)"
refused=$(sqlite3 ho.db "SELECT refused FROM kiosk_status WHERE kiosk = 'S001-K1'")
[[ "$refused" == "policy v2: published policy v2:"* ]] || fail "head office does not know the kiosk refused v2: '$refused'"
echo "3. v2 refused, v1 stays in force; head office has: $refused"

# 4. A good v3.
sed 's/^return_days = 7$/return_days = 8/' "$assets/policy/sanbao.toml" > policy-8.toml
"$headoffice" --db "$ho" publish policy policy-8.toml > /dev/null
k sync run --once > sync5.out
k sync run --once > sync6.out
last=$(check)
[[ "$(field 'd["policy_version"]' <<< "$last")" == "published v3" ]] || fail "v3 is not in force: $last"
[[ "$(field '"refund" in d["remedies"]' <<< "$last")" == False ]] || fail "day 9 still allowed a refund under the 8-day window"
refused=$(sqlite3 ho.db "SELECT refused FROM kiosk_status WHERE kiosk = 'S001-K1'")
[[ -z "$refused" ]] || fail "head office still shows a refusal after v3: '$refused'"
echo "4. published v3 in force (8 days: no refund on day 9); the refusal is cleared at head office"

# 5. Self-help suggestions are published the same way.
cp "$assets/faq.toml" faq.toml
printf '\n[[category]]\nid = "screen-burn"\nlabel = { zh-Hans = "屏幕残影", zh-Hant = "螢幕殘影", en = "Screen burn-in" }\nsuggestion = [\n  { zh-Hans = "降低亮度", zh-Hant = "降低亮度", en = "Lower the brightness" },\n]\n' >> faq.toml
"$headoffice" --db "$ho" publish faq faq.toml > /dev/null
printf '[[category]]\nid = "x"\n' > bad-faq.toml
if "$headoffice" --db "$ho" publish faq bad-faq.toml > publish-bad.out 2>&1; then fail "head office published a self-help category without a label"; fi
k sync run --once > sync7.out
k sync status > status2.out
grep -q 'faq published v1;' status2.out || fail "the published self-help is not in force: $(cat status2.out)"
echo "5. self-help published v1 in force; head office refused a malformed one: $(head -n 1 publish-bad.out)"

# 6. The service scripts (话术库) are published the same way; one with an unknown placeholder is
#    refused with FILE:LINE and publishes nothing.
sed 's/很高兴为您服务。/很高兴为您服务，今天由我接待。/' "$assets/scripts.toml" > scripts.toml
grep -q '今天由我接待' scripts.toml || fail "could not make the scripts to publish"
"$headoffice" --db "$ho" publish scripts scripts.toml > /dev/null
sed 's/{product}由我全程跟进/{produkt}由我全程跟进/' "$assets/scripts.toml" > bad-scripts.toml
if "$headoffice" --db "$ho" publish scripts bad-scripts.toml > publish-bad-scripts.out 2>&1; then
  fail "head office published scripts with an unknown placeholder"
fi
grep -q 'bad-scripts.toml:[0-9]*:[0-9]*: unknown placeholder {produkt}' publish-bad-scripts.out ||
  fail "the refusal does not name FILE:LINE and the placeholder: $(cat publish-bad-scripts.out)"
k sync run --once > sync8.out
k sync status > status3.out
grep -q 'scripts published v1' status3.out || fail "the published scripts are not in force: $(cat status3.out)"
echo "6. scripts published v1 in force; head office refused a bad one: $(head -n 1 publish-bad-scripts.out)"

# 7. Customer messages are published the same way: a file missing a translation is refused with
#    FILE:LINE; one with messages switched off is in force after a sync, and a receipt printed then
#    promises no message even to a customer who asked for one.
sed 's/^enabled = true/enabled = false/' "$assets/notifications.toml" > notifications.toml
grep -q '^enabled = false' notifications.toml || fail "could not make the notifications to publish"
sed 's/, en = "Your {product} is ready for pickup[^"]*"//' "$assets/notifications.toml" > bad-notifications.toml
if "$headoffice" --db "$ho" publish notifications bad-notifications.toml > publish-bad-notifications.out 2>&1; then
  fail "head office published messages with a missing translation"
fi
grep -q 'bad-notifications.toml:[0-9]*:[0-9]*: .*en' publish-bad-notifications.out ||
  fail "the refusal does not name FILE:LINE and the language: $(cat publish-bad-notifications.out)"
"$headoffice" --db "$ho" publish notifications notifications.toml > /dev/null
k sync run --once > sync9.out
k sync status > status4.out
grep -q 'notifications published v1' status4.out || fail "the published notifications are not in force: $(cat status4.out)"
number=$(k --json ticket create --type complaint --description "fan noise" --lang en --phone 13800138000 --notify |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["number"])')
k receipt print "$number" --printer "file://$out/receipt.bin" --lang en > /dev/null
grep -q 'number or the QR code\.' receipt.bin || fail "the receipt lacks its next steps"
if grep -q 'we will text you' receipt.bin; then fail "the receipt promises a message while messages are off"; fi
echo "7. notifications published v1 (off) in force; the receipt promises nothing; refused: $(head -n 1 publish-bad-notifications.out)"
