#!/usr/bin/env bash
# The package test's checks, run on the host against ROOT, a Debian root with the packages installed.
# Every failed check is reported; the exit status is the number of failures (capped at 1).
set -uo pipefail
root=$1
failures=0
pass() { printf 'ok    %s\n' "$1"; }
fail() { printf 'FAIL  %s\n' "$1"; failures=$((failures + 1)); }
check() {
    local what=$1; shift
    local out
    if out=$("$@" 2>&1); then pass "$what"; else fail "$what"; printf '%s\n' "$out" | sed 's/^/      /'; fi
}
in_root() { chroot "$root" "$@"; }
as_kiosk() { chroot "$root" runuser -u kiosk -- "$@"; }

# Installed, with the files where the manual pages and units say they are.
for pkg in service-kiosk service-kiosk-headoffice service-kiosk-data; do
    check "$pkg is installed" sh -c "chroot '$root' dpkg-query -W -f='\${Status}' $pkg | grep -qx 'install ok installed'"
done
for file in /usr/bin/kiosk /usr/bin/kioskctl /usr/bin/headoffice /usr/sbin/kiosk-setup \
    /usr/share/service-kiosk/policy/sanbao.toml /usr/share/service-kiosk/sla.toml /usr/share/service-kiosk/calendar.toml \
    /usr/share/service-kiosk/lifecycle.toml /usr/share/service-kiosk/faq.toml /usr/share/service-kiosk/i18n/zh_CN.po \
    /usr/share/service-kiosk/printers/generic-80.toml /usr/share/service-kiosk/demo/catalog.csv \
    /etc/service-kiosk/kiosk.toml /etc/default/service-kiosk /etc/headoffice/headoffice.conf \
    /lib/systemd/system/kiosk.service /lib/systemd/system/kiosk-sync.service /lib/systemd/system/headoffice.service \
    /lib/udev/rules.d/70-service-kiosk.rules /etc/udev/rules.d/71-service-kiosk-scanners.rules \
    /usr/share/man/man1/kiosk.1.gz /usr/share/man/man1/kioskctl.1.gz /usr/share/man/man1/headoffice.1.gz \
    /usr/share/man/man8/kiosk-setup.8.gz /usr/share/doc/service-kiosk/examples/cage.conf \
    /usr/share/doc/service-kiosk-headoffice/examples/haproxy.cfg; do
    check "file $file" test -f "$root$file"
done
check "the CJK font the kiosk draws with (a declared dependency)" test -f "$root/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
for conffile in /etc/service-kiosk/kiosk.toml /etc/default/service-kiosk /etc/udev/rules.d/71-service-kiosk-scanners.rules; do
    check "conffile $conffile" sh -c "chroot '$root' dpkg-query -W -f='\${Conffiles}' service-kiosk | grep -q ' $conffile '"
done
check "conffile /etc/headoffice/headoffice.conf" \
    sh -c "chroot '$root' dpkg-query -W -f='\${Conffiles}' service-kiosk-headoffice | grep -q ' /etc/headoffice/headoffice.conf '"
for program in /usr/bin/kiosk /usr/bin/kioskctl /usr/bin/headoffice; do
    check "$program finds every shared library" sh -c "! chroot '$root' ldd $program | grep 'not found'"
done

# The system users and their data directories.
check "kiosk system user" sh -c "chroot '$root' getent passwd kiosk | grep -q ':/var/lib/service-kiosk:/usr/sbin/nologin$'"
check "kiosk user in video, render and input" sh -c "chroot '$root' id -nG kiosk | tr ' ' '\n' | sort | tr '\n' ' ' | grep -q 'input kiosk render video'"
check "headoffice system user" sh -c "chroot '$root' getent passwd headoffice | grep -q ':/var/lib/headoffice:/usr/sbin/nologin$'"
check "/var/lib/service-kiosk belongs to kiosk" sh -c "[ \"\$(chroot '$root' stat -c %U:%G:%a /var/lib/service-kiosk)\" = kiosk:kiosk:750 ]"
check "/var/lib/headoffice belongs to headoffice" sh -c "[ \"\$(chroot '$root' stat -c %U:%G:%a /var/lib/headoffice)\" = headoffice:headoffice:750 ]"

# The units: valid, and enabled by the maintainer scripts.
for unit in kiosk.service kiosk-sync.service headoffice.service; do
    check "systemd-analyze verify $unit" sh -c "out=\$(chroot '$root' systemd-analyze verify /lib/systemd/system/$unit 2>&1); printf '%s' \"\$out\"; [ -z \"\$out\" ]"
done
check "kiosk.service enabled" test -L "$root/etc/systemd/system/graphical.target.wants/kiosk.service"
check "kiosk-sync.service enabled" test -L "$root/etc/systemd/system/multi-user.target.wants/kiosk-sync.service"
check "headoffice.service enabled" test -L "$root/etc/systemd/system/multi-user.target.wants/headoffice.service"

# The programs run, and find their assets in /usr/share/service-kiosk with no flags.
check "kioskctl --version" sh -c "chroot '$root' kioskctl --version | grep -qx 'kioskctl [0-9.]*'"
check "kiosk --help" sh -c "chroot '$root' kiosk --help | grep -q -- '--demo'"
check "headoffice --help" sh -c "chroot '$root' headoffice --help | grep -q serve"
check "kiosk-setup refuses a bad store code" sh -c "! chroot '$root' kiosk-setup --store 'S 1' --kiosk K1 --no-start"

# First-time setup and a demo ticket, as an IT person would do it.
now=2026-11-22T06:00:00Z
# Head office from its package, on loopback, enrols the kiosk.
port=$((20000 + RANDOM % 20000))
chroot "$root" runuser -u headoffice -- headoffice serve --listen "127.0.0.1:$port" \
    --db sqlite:/var/lib/headoffice/headoffice.db >"$root/tmp/headoffice.log" 2>&1 &
headoffice=$!
trap 'kill $headoffice 2>/dev/null; wait $headoffice 2>/dev/null' EXIT
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
token=$(chroot "$root" runuser -u headoffice -- sh -c \
    "cd /var/lib/headoffice && headoffice --db sqlite:/var/lib/headoffice/headoffice.db kiosk add S001 K1" 2>/dev/null)
check "headoffice kiosk add prints an enrolment token" sh -c "echo '$token' | grep -q '^KIOSK-ENROL:'"
check "kiosk-setup --store S001 --kiosk K1 --headoffice URL --token TOKEN" \
    in_root kiosk-setup --store S001 --kiosk K1 --headoffice "http://127.0.0.1:$port" --token "$token" --no-start
check "the database belongs to kiosk" sh -c "[ \"\$(chroot '$root' stat -c %U /var/lib/service-kiosk/kiosk.db)\" = kiosk ]"
check "kiosk-setup again with the same codes" in_root kiosk-setup --store S001 --kiosk K1 --no-start
check "kiosk-setup refuses other codes" sh -c "! chroot '$root' kiosk-setup --store S002 --kiosk K1 --no-start && grep -q '^store_code = \"S001\"' '$root/etc/service-kiosk/kiosk.toml'"
ctl() { as_kiosk kioskctl --config /etc/service-kiosk/kiosk.toml --now "$now" "$@"; }
for set in catalog sales staff; do
    check "import $set" ctl import "$set" "/usr/share/service-kiosk/demo/$set.csv"
done
check "warranty check (the policy from /usr/share/service-kiosk)" \
    sh -c "chroot '$root' runuser -u kiosk -- kioskctl --config /etc/service-kiosk/kiosk.toml --now $now --json warranty check --order SO-S001-20261106-00007 | grep -q repair"
check "ticket create" ctl ticket create --order SO-S001-20261106-00007 --serial SN261106000070 --phone 13769344675 \
    --problem screen --description "screen flickers"
check "the ticket is listed" sh -c "chroot '$root' runuser -u kiosk -- kioskctl --config /etc/service-kiosk/kiosk.toml --json ticket list | grep -q '\"number\":\"S001-K1-261122-'"
check "verify" ctl verify
check "sync run --once sends the ticket to head office" sh -c "chroot '$root' runuser -u kiosk -- kioskctl --config /etc/service-kiosk/kiosk.toml --json sync run --once | grep -q '\"records\":[1-9]'"
kill $headoffice 2>/dev/null; wait $headoffice 2>/dev/null
trap - EXIT
check "receipt render" sh -c "n=\$(chroot '$root' runuser -u kiosk -- kioskctl --config /etc/service-kiosk/kiosk.toml --json ticket list --limit 1 | sed -n 's/.*\"number\":\"\\([^\"]*\\)\".*/\\1/p') && chroot '$root' runuser -u kiosk -- kioskctl --config /etc/service-kiosk/kiosk.toml receipt render \"\$n\" --out /var/lib/service-kiosk/receipt.png && test -s '$root/var/lib/service-kiosk/receipt.png'"

# Removal keeps the data; purge takes the data and the users away.
check "apt-get remove service-kiosk" in_root env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q service-kiosk
check "the database survives removal" test -f "$root/var/lib/service-kiosk/kiosk.db"
check "apt-get purge service-kiosk" in_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q service-kiosk
check "purge removes the data and the kiosk user" sh -c "[ ! -e '$root/var/lib/service-kiosk' ] && ! chroot '$root' getent passwd kiosk"

echo "package test: $failures failed"
[ "$failures" -eq 0 ]
