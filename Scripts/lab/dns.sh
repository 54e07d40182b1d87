# shellcheck shell=bash
# Part of Scripts/lab.sh (sourced by it): DNS (knot zones, silent DNS).

# TXT rdata for STRING: quoted character-strings of at most 255 bytes each
# (RFC 7208 3.3: a reader joins them without spaces). STRING has no '"' or '\'.
txt_rdata() {
  local LC_ALL=C s=$1 out=
  while ((${#s} > 255)); do out+="\"${s:0:255}\" "; s=${s:255}; done
  printf '%s"%s"' "$out" "$s"
}

# The healthy records of sender domain DOMAIN (in spam.test), but for the
# kinds named after it (mx, spf, dkim, dmarc): those its fault leaves out or
# replaces. Usage: spam_healthy DOMAIN [mx] [spf] [dkim] [dmarc]
# (DKIM_TXT: the rdata of the healthy s1._domainkey record).
spam_healthy() {
  local d=$1 skip=" ${*:2} "
  [[ $skip == *" mx "* ]] || printf '%-40s MX    10 %s.\n' "$d." "$LAB_MAIL_NAME"
  [[ $skip == *" spf "* ]] || printf '%-40s TXT   "v=spf1 ip4:%s -all"\n' "$d." "$LAB_SEND_GOOD4"
  [[ $skip == *" dkim "* ]] || printf '%-40s TXT   %s\n' "$LAB_DKIM_SELECTOR._domainkey.$d." "$DKIM_TXT"
  [[ $skip == *" dmarc "* ]] || printf '%-40s TXT   "v=DMARC1; p=reject; rua=mailto:dmarc@%s"\n' "_dmarc.$d." "$d"
  return 0
}

# One record line: NAME TYPE RDATA (NAME absolute, without the final dot).
rr() { printf '%-40s %-5s %s\n' "$1." "$2" "$3"; }

# The spam.test zone: the sender domains of the SPF/DKIM/DMARC/MX checks,
# each healthy but for its one fault (LAB_SPAM_* in lab.env).
make_spam_zone() {
  local S=$LAB_SPAM_ZONE i long=
  DKIM_TXT=$(txt_rdata "v=DKIM1; k=rsa; p=$(base64 -w0 "$LAB_DKIM_PUB")")
  # longspf: 27 ip4 terms, then .10: 542 bytes, split at 255 and 510 (both mid-term)
  for ((i = 100; i < 127; i++)); do long+="ip4:198.51.100.$i "; done
  long="v=spf1 ${long}ip4:$LAB_SEND_GOOD4 -all"
  {
    printf "\$ORIGIN %s.\n\$TTL 60\n@ %s\n@ NS ns.lab.test.\n" "$S" "$soa"
    echo "; No _dmarc at $S: it is the organisational domain of every sender below."
    echo "; void1/void2/void3.$S and hop2.$S do not exist (NXDOMAIN)."

    echo "; healthy: SPF through an include"
    spam_healthy "$LAB_SPAM_HEALTHY" spf
    rr "$LAB_SPAM_HEALTHY" TXT "\"v=spf1 include:_spf.$LAB_SPAM_HEALTHY -all\""
    rr "_spf.$LAB_SPAM_HEALTHY" TXT "\"v=spf1 ip4:$LAB_SEND_GOOD4 ip6:$LAB_MAIL6 -all\""

    echo "; nospf: a TXT record, but no SPF"
    spam_healthy "$LAB_SPAM_NOSPF" spf
    rr "$LAB_SPAM_NOSPF" TXT '"lab-site-verification=nospf-7f3a9c"'

    echo "; twospf: two SPF records (each alone would pass)"
    spam_healthy "$LAB_SPAM_TWOSPF"
    rr "$LAB_SPAM_TWOSPF" TXT "\"v=spf1 ip4:$LAB_SEND_GOOD4 ip6:$LAB_MAIL6 -all\""

    echo "; badspf: syntax error (octet 300)"
    spam_healthy "$LAB_SPAM_BADSPF" spf
    rr "$LAB_SPAM_BADSPF" TXT "\"v=spf1 ip4:$LAB_SEND_GOOD4 ip4:198.51.100.300 -all\""

    echo "; manylookups: 4 includes x (a + mx) = 12 DNS-querying terms, all resolving"
    echo "; to .11 (closed), none to .10: check_host exceeds the limit of 10 (at l4's"
    echo "; first term) before it reaches ip4 .10"
    spam_healthy "$LAB_SPAM_MANYLOOKUPS" spf
    local inc=
    for i in 1 2 3 4; do inc+="include:l$i._spf.$LAB_SPAM_MANYLOOKUPS "; done
    rr "$LAB_SPAM_MANYLOOKUPS" TXT "\"v=spf1 ${inc}ip4:$LAB_SEND_GOOD4 -all\""
    for i in 1 2 3 4; do
      rr "l$i._spf.$LAB_SPAM_MANYLOOKUPS" TXT \
        "\"v=spf1 a:h$i.$LAB_SPAM_MANYLOOKUPS mx:h$i.$LAB_SPAM_MANYLOOKUPS -all\""
      rr "h$i.$LAB_SPAM_MANYLOOKUPS" A "$LAB_CLOSED4"
      rr "h$i.$LAB_SPAM_MANYLOOKUPS" MX "10 $LAB_CLOSED_NAME."
    done

    echo "; voids: 3 void lookups before ip4 .10"
    spam_healthy "$LAB_SPAM_VOIDS" spf
    rr "$LAB_SPAM_VOIDS" TXT "\"v=spf1 a:void1.$S a:void2.$S a:void3.$S ip4:$LAB_SEND_GOOD4 -all\""

    echo "; notauth: .10 not authorised"
    spam_healthy "$LAB_SPAM_NOTAUTH" spf
    rr "$LAB_SPAM_NOTAUTH" TXT '"v=spf1 ip4:192.0.2.1 -all"'

    echo "; nodkim: no _domainkey name at all"
    spam_healthy "$LAB_SPAM_NODKIM" dkim

    echo "; baddkim: p= is base64 (\"not a key\") but not a key"
    spam_healthy "$LAB_SPAM_BADDKIM" dkim
    rr "$LAB_DKIM_SELECTOR._domainkey.$LAB_SPAM_BADDKIM" TXT '"v=DKIM1; k=rsa; p=bm90IGEga2V5"'

    echo "; nodmarc: no _dmarc (and none at $S)"
    spam_healthy "$LAB_SPAM_NODMARC" dmarc

    echo "; baddmarc: unknown policy"
    spam_healthy "$LAB_SPAM_BADDMARC" dmarc
    rr "_dmarc.$LAB_SPAM_BADDMARC" TXT '"v=DMARC1; p=banana"'

    echo "; nonedmarc: monitoring only"
    spam_healthy "$LAB_SPAM_NONEDMARC" dmarc
    rr "_dmarc.$LAB_SPAM_NONEDMARC" TXT "\"v=DMARC1; p=none; rua=mailto:dmarc@$LAB_SPAM_NONEDMARC\""

    echo "; nomx: no MX, no A/AAAA"
    spam_healthy "$LAB_SPAM_NOMX" mx

    echo "; cnamenowhere: CNAME hop1 -> CNAME hop2 (absent). A CNAME holds nothing"
    echo "; else, so no SPF and no MX either; _dmarc and s1._domainkey are healthy."
    spam_healthy "$LAB_SPAM_CNAMENOWHERE" mx spf
    rr "$LAB_SPAM_CNAMENOWHERE" CNAME "hop1.$S."
    rr "hop1.$S" CNAME "hop2.$S."

    echo "; longspf: healthy, 542 bytes in strings of 255 + 255 + 32"
    spam_healthy "$LAB_SPAM_LONGSPF" spf
    rr "$LAB_SPAM_LONGSPF" TXT "$(txt_rdata "$long")"

    echo "; garbage: \"v=spf1 \" + SOH, ANSI colour escapes (ESC), DEL, high bytes"
    echo "; (\\DDD is decimal), then \" -all\""
    spam_healthy "$LAB_SPAM_GARBAGE" spf
    rr "$LAB_SPAM_GARBAGE" TXT '"v=spf1 \001\027[31mRED\027[0m \127\200\201 caf\195\169 \255\254 -all"'

    echo "; loop: include loop (loop -> loop2 -> loop), .10 only after it"
    spam_healthy "$LAB_SPAM_LOOP" spf
    rr "$LAB_SPAM_LOOP" TXT "\"v=spf1 include:loop2.$S ip4:$LAB_SEND_GOOD4 -all\""
    rr "loop2.$S" TXT "\"v=spf1 include:$LAB_SPAM_LOOP -all\""
  } >"$KNOTDIR/zones/$S.zone"
}

# A blocklist zone NAME (delegated from lab.test), its records on stdin.
bl_zone() {
  { printf "\$ORIGIN %s.\n\$TTL 60\n@          %s\n@          NS    ns.lab.test.\n" "$1" "$soa"; cat; } \
    >"$KNOTDIR/zones/$1.zone"
}

make_zones() {
  local z=$KNOTDIR/zones soa
  mkdir -p "$z" "$KNOTDIR/db" "$KNOTDIR/run"
  soa="SOA ns.lab.test. hostmaster.lab.test. 1 3600 600 86400 60"
  make_dkim_key                       # certs.sh
  make_spam_zone
  # A records of the TLS-inspection and fault hosts, from lab.env
  local v name addr more=
  for v in "${TLS_HOSTS[@]}" "${FAULT_HOSTS[@]}"; do
    name=LAB_${v}_NAME addr=LAB_${v}4
    more+=$(printf '%-10s A     %s' "${!name%."$LAB_DOMAIN"}" "${!addr}")$'\n'
  done
  # Blocklists for the benchmark (Scripts/bench.sh): blNN.bench.lab.test,
  # each with only its RFC 5782 test entry 127.0.0.2.
  local n
  for ((n = 1; n <= LAB_BENCH_DNSBL_COUNT; n++)); do
    more+=$(printf '2.0.0.127.bl%02d.bench A     127.0.0.2' "$n")$'\n'
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
$LAB_SEND_MISMATCH_NAME.  A  $LAB_SEND_MISMATCH_FORWARD4
$LAB_SEND_LISTED_NAME.    A  $LAB_SEND_LISTED4
bl         NS    ns.lab.test.
bl2        NS    ns.lab.test.
world      NS    ns.lab.test.
quota      NS    ns.lab.test.
codes      NS    ns.lab.test.
EOF
  # Blocklists (RFC 5782: reversed octets + zone, A query, 127.0.0.x = listed)
  cat >"$z/bl.lab.test.zone" <<EOF
\$ORIGIN bl.lab.test.
\$TTL 60
@          $soa
@          NS    ns.lab.test.
; RFC 5782 test entries: 127.0.0.2 listed, 127.0.0.1 not
2.0.0.127  A     127.0.0.2
2.0.0.127  TXT   "listed for test"
; the listed sender
53.100.51.198 A  127.0.0.2
53.100.51.198 TXT "listed: test entry"
EOF
  bl_zone "$LAB_DNSBL_ZONE2" <<EOF
; healthy second list: only the RFC 5782 test entry
2.0.0.127  A     127.0.0.2
2.0.0.127  TXT   "listed for test"
EOF
  bl_zone "$LAB_DNSBL_WORLD" <<EOF
; a dead list that lists the world (127.0.0.1 too)
*          A     127.0.0.2
EOF
  bl_zone "$LAB_DNSBL_QUOTA" <<EOF
; what Spamhaus answers a public resolver it refuses, for every query
*          A     127.255.255.254
EOF
  bl_zone "$LAB_DNSBL_CODES" <<EOF
; Spamhaus-ZEN-like return codes
2.0.0.127  A     127.0.0.2
53.100.51.198 A  127.0.0.4
53.100.51.198 A  127.0.0.11
EOF
  # Reverse DNS: .50 has no PTR; .51's name points elsewhere (.52)
  cat >"$z/100.51.198.in-addr.arpa.zone" <<EOF
\$ORIGIN 100.51.198.in-addr.arpa.
\$TTL 60
@          $soa
@          NS    ns.lab.test.
10         PTR   mail.lab.test.
11         PTR   closed.lab.test.
${LAB_SEND_MISMATCH4##*.}         PTR   $LAB_SEND_MISMATCH_NAME.
${LAB_SEND_LISTED4##*.}         PTR   $LAB_SEND_LISTED_NAME.
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
  - domain: $LAB_DNSBL_ZONE2
  - domain: $LAB_DNSBL_WORLD
  - domain: $LAB_DNSBL_QUOTA
  - domain: $LAB_DNSBL_CODES
  - domain: $LAB_SPAM_ZONE
  - domain: 100.51.198.in-addr.arpa
  - domain: 0.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa
EOF
}

start_dns() {
  make_zones
  # Zone files that fail to load would only be missing at run time: refuse them now.
  knotc -c "$KNOTDIR/knot.conf" zone-check >>"$STATE/log/knot.log" 2>&1 \
    || die "knot zone check failed (see $STATE/log/knot.log)"
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
