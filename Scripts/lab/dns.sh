# shellcheck shell=bash
# Part of Scripts/lab.sh (sourced by it): DNS (knot zones, silent DNS).

make_zones() {
  local z=$KNOTDIR/zones soa
  mkdir -p "$z" "$KNOTDIR/db" "$KNOTDIR/run"
  soa="SOA ns.lab.test. hostmaster.lab.test. 1 3600 600 86400 60"
  # A records of the TLS-inspection and fault hosts, from lab.env
  local v name addr more=
  for v in "${TLS_HOSTS[@]}" "${FAULT_HOSTS[@]}"; do
    name=LAB_${v}_NAME addr=LAB_${v}4
    more+=$(printf '%-10s A     %s' "${!name%."$LAB_DOMAIN"}" "${!addr}")$'\n'
  done
  more=${more%$'\n'}
  cat >"$z/lab.test.zone" <<EOF
\$ORIGIN lab.test.
\$TTL 60
@          $soa
@          NS    ns.lab.test.
@          MX    10 mail.lab.test.
@          TXT   "v=spf1 ip4:198.51.100.0/24 -all"
_dmarc     TXT   "v=DMARC1; p=reject; rua=mailto:dmarc@lab.test"
ns         A     $LAB_ROOT4
mail       A     $LAB_MAIL4
mail       AAAA  $LAB_MAIL6
closed     A     $LAB_CLOSED4
dark       A     $LAB_DARK4
reject     A     $LAB_REJECT4
smtpblock  A     $LAB_SMTPBLOCK4
smtpreject A     $LAB_SMTPREJECT4
nobody     A     $LAB_NOHOST4
v6broken   A     $LAB_MAIL4
v6broken   AAAA  $LAB_DARK6
v6only     AAAA  $LAB_DARK6
noaddr     TXT   "v=spf1 -all"
noaddr     MX    10 mail.lab.test.
alias      CNAME mail.lab.test.
$more
bl         NS    ns.lab.test.
EOF
  cat >"$z/bl.lab.test.zone" <<EOF
\$ORIGIN bl.lab.test.
\$TTL 60
@          $soa
@          NS    ns.lab.test.
; RFC 5782 test entries: 127.0.0.2 listed, 127.0.0.1 not
2.0.0.127  A     127.0.0.2
2.0.0.127  TXT   "listed for test"
EOF
  cat >"$z/100.51.198.in-addr.arpa.zone" <<EOF
\$ORIGIN 100.51.198.in-addr.arpa.
\$TTL 60
@          $soa
@          NS    ns.lab.test.
10         PTR   mail.lab.test.
11         PTR   closed.lab.test.
EOF
  cat >"$z/0.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.zone" <<EOF
\$ORIGIN 0.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.
\$TTL 60
@          $soa
@          NS    ns.lab.test.
0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0 PTR mail.lab.test.
EOF
  cat >"$KNOTDIR/knot.conf" <<EOF
server:
    rundir: "$KNOTDIR/run"
    listen: [ ${LAB_DNS/:/@}, $LAB_ROOT4@53 ]
log:
  - target: "$STATE/log/knot.log"
    any: info
database:
    storage: "$KNOTDIR/db"
template:
  - id: default
    storage: "$z"
    file: "%s.zone"
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: lab.test
  - domain: bl.lab.test
  - domain: 100.51.198.in-addr.arpa
  - domain: 0.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa
EOF
}

start_dns() {
  make_zones
  knotd -c "$KNOTDIR/knot.conf" -d </dev/null >>"$STATE/log/knot.log" 2>&1 \
    || die "knotd failed to start (see $STATE/log/knot.log)"
  # (TCP: a UDP query sent while knotd daemonizes can be lost, costing a 1 s timeout)
  wait_for 5 "knot" knot_ok kdig -p "${LAB_DNS#*:}" "@${LAB_DNS%:*}" +tcp +timeout=1 +retry=0 +short SOA lab.test

  # Silent DNS: takes queries over UDP and TCP, never answers (-u: one way only).
  local h=${LAB_SILENT_DNS%:*} p=${LAB_SILENT_DNS#*:}
  spawn silent-dns-udp socat -lf "$STATE/log/silent-dns-udp.log" -u \
    "UDP4-RECV:$p,bind=$h" /dev/null
  spawn silent-dns-tcp socat -lf "$STATE/log/silent-dns-tcp.log" -u \
    "TCP4-LISTEN:$p,bind=$h,reuseaddr,fork" /dev/null
}
