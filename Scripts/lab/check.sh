# shellcheck shell=bash
# Part of Scripts/lab.sh (sourced by it): the self-check (lab.sh check, and the end of lab.sh up).

# Print the first line a server sends (the SMTP greeting); fail unless 220.
# shellcheck disable=SC2016  # the $ expand in the inner bash
smtp_banner() {
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2" || exit 1
    IFS= read -r -t 2 line <&3 || exit 1
    printf "QUIT\r\n" >&3
    printf "%s\n" "$line" | tr -d "\r"
    [[ $line == 220* ]]' _ "$1" "$2"
}

# Print the EHLO reply (after the greeting), one line per extension.
# shellcheck disable=SC2016
smtp_ehlo() {
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2" || exit 1
    IFS= read -r -t 2 line <&3 || exit 1
    printf "EHLO probe.lab.test\r\n" >&3
    while IFS= read -r -t 2 line <&3; do
      printf "%s\n" "$line" | tr -d "\r"
      [[ $line == 250\ * ]] && break
    done
    printf "QUIT\r\n" >&3' _ "$1" "$2"
}

# TCP connect outcome: "open", "refused", "unreach" (EHOSTUNREACH), "timeout"
# or "other: <message>", plus the time taken in ms. Usage: probe HOST PORT SECS
# (nc connects non-blocking, like the tool does. A blocking connect() - bash
# /dev/tcp - sees an ICMP reject only after the 1 s SYN retransmit: over veth
# the ICMP arrives while connect() still holds the socket lock and is dropped.)
probe() {
  local t0 err out
  t0=$(now)
  err=$(nc -n -v -z -w "$3" "$1" "$2" 2>&1) || true
  case $err in
    *succeeded*) out=open ;;
    *"Connection refused"*) out=refused ;;
    *"No route to host"*) out=unreach ;;
    *"timed out"*) out=timeout ;;
    *) out="other: ${err##*: }" ;;
  esac
  echo "$out $(ms_since "$t0")"
}

RESULTS=
pass() { echo "ok   $*" >>"$RESULTS"; }
fail() { echo "FAIL $*" >>"$RESULTS"; }

# expect_tcp HOST PORT OUTCOME [MIN_MS MAX_MS] [SECS]
expect_tcp() {
  local host=$1 port=$2 want=$3 min=${4:-0} max=${5:-900} secs=${6:-2} got ms
  read -r got ms < <(probe "$host" "$port" "$secs")
  if [[ $got == "$want" ]] && ((ms >= min && ms <= max)); then
    pass "tcp $host:$port $got (${ms} ms)"
  else
    fail "tcp $host:$port: want $want in ${min}-${max} ms, got $got in ${ms} ms"
  fi
}

expect_smtp() {   # HOST PORT: 220 greeting and STARTTLS offered
  local ehlo
  if ! ehlo=$(smtp_ehlo "$1" "$2"); then fail "smtp $1:$2: no greeting"; return; fi
  if grep -q '^250.STARTTLS' <<<"$ehlo"; then pass "smtp $1:$2 greets, offers STARTTLS"
  else fail "smtp $1:$2: no STARTTLS in EHLO reply"; fi
}

expect_tls() {    # HOST PORT [starttls]: chain leaf+intermediate verifies to the lab root
  local host=$1 port=$2 out extra=() hp=$1:$2
  [[ $host == *:* ]] && hp="[$host]:$port"
  [[ ${3:-} == starttls ]] && extra=(-starttls smtp)
  out=$(timeout 5 openssl s_client -connect "$hp" "${extra[@]}" -servername "$LAB_MAIL_NAME" \
    -CAfile "$LAB_CA" -verify_hostname "$LAB_MAIL_NAME" -verify_return_error -showcerts \
    </dev/null 2>&1) || { fail "tls $host:$port ${3:-}: handshake/verify failed: $(grep -m1 -i error <<<"$out")"; return; }
  local n
  n=$(grep -c 'BEGIN CERTIFICATE' <<<"$out" || true)
  if [[ $out == *"Verify return code: 0 (ok)"* ]] && ((n == 2)); then
    pass "tls $host:$port ${3:-implicit} verifies, $n certs sent"
  else fail "tls $host:$port: verify/chain wrong ($n certs)"; fi
}

expect_auth() {   # ok|refused SERVER swaks-options...
  local want=$1 srv=$2 got=refused; shift 2
  if timeout 10 swaks --server "$srv" "$@" >/dev/null 2>&1; then got=ok; fi
  if [[ $got == "$want" ]]; then pass "auth $LAB_USER on $srv ${1#--}: $got"
  else fail "auth $LAB_USER on $srv ${1#--}: want $want, got $got"; fi
}

expect_dns() {    # SERVER NAME TYPE EXPECTED(+short, space-joined) [kdig options]
  local got q=("$2" "$3")
  [[ $3 == PTR ]] && q=(-x "$2")
  got=$(kdig -p "${1#*:}" "@${1%:*}" +timeout=1 +retry=0 +short "${@:5}" "${q[@]}" 2>&1 | tr '\n' ' ' | sed 's/ $//')
  if [[ $got == "$4" ]]; then pass "dns $2 $3 = $got"; else fail "dns $2 $3: want '$4', got '$got'"; fi
}

expect_rcode() {  # SERVER NAME RCODE [kdig options]
  local srv=$1 name=$2 want=$3 got; shift 3
  got=$(kdig -p "${srv#*:}" "@${srv%:*}" +timeout=1 +retry=0 "$@" "$name" A 2>&1 | sed -n 's/.*status: \([A-Z]*\).*/\1/p' | head -1)
  [[ -n $got ]] || got=NO-ANSWER
  if [[ $got == "$want" ]]; then pass "dns $name @$srv $* -> $got"; else fail "dns $name @$srv $*: want $want, got $got"; fi
}

# ---- Sender domains (spam.test), reverse DNS, blocklists

# +short answer of the lab's knot over TCP. Usage: kq TYPE NAME
kq() { kdig -p "${LAB_DNS#*:}" "@${LAB_DNS%:*}" +tcp +timeout=1 +retry=0 +short "$1" "$2" 2>&1; }
# The character-strings of each answer line joined (kdig +short: "a" "b").
txt_join() { sed 's/" "//g; s/^"//; s/"$//'; }
rev4() { local o; IFS=. read -ra o <<<"$1"; echo "${o[3]}.${o[2]}.${o[1]}.${o[0]}"; }   # 1.2.3.4 -> 4.3.2.1

# "LOOKUPS VOIDS" of DOMAIN's SPF record: its DNS-querying terms, includes
# followed (RFC 7208 4.6.4), and the a/mx targets that have no answer.
spf_lookups() {
  local term t n=0 voids=0 sub
  for term in $(kq TXT "$1" | grep '^"v=spf1 ' | txt_join); do
    case $term in
      include:*) read -r t sub < <(spf_lookups "${term#include:}"); n=$((n + 1 + t)) voids=$((voids + sub)) ;;
      a:* | mx:*)
        n=$((n + 1)) t=A
        [[ $term == mx:* ]] && t=MX
        [[ -n $(kq "$t" "${term#*:}") ]] || voids=$((voids + 1)) ;;
      a | mx | ptr | ptr:* | exists:* | redirect=*) n=$((n + 1)) ;;
    esac
  done
  echo "$n $voids"
}

# Sender domain LAB_SPAM_<V>: MX, SPF record count, DKIM s1 and DMARC are the
# healthy ones but for its fault.
check_spam_domain() {
  local v=$1 d f mx spf dkim dmarc want got
  d=LAB_SPAM_$v; d=${!d}; f=${v,,}
  mx="10 $LAB_MAIL_NAME." spf=1 dkim=$SPAM_DKIM dmarc="v=DMARC1; p=reject; rua=mailto:dmarc@$d"
  case $f in
    nomx) mx='' ;;
    nospf) spf=0 ;;
    twospf) spf=2 ;;
    cnamenowhere) mx='' spf=0 ;;
    nodkim) dkim='' ;;
    baddkim) dkim="v=DKIM1; k=rsa; p=bm90IGEga2V5" ;;
    nodmarc) dmarc='' ;;
    baddmarc) dmarc="v=DMARC1; p=banana" ;;
    nonedmarc) dmarc="v=DMARC1; p=none; rua=mailto:dmarc@$d" ;;
  esac
  want="mx '$mx' spf $spf dkim '${dkim:0:30}' dmarc '$dmarc'"
  got="mx '$(kq MX "$d" | grep -x '[0-9]* .*' || true)' spf $(kq TXT "$d" | grep -c '^"v=spf1 ' || true)"
  got+=" dkim '$(kq TXT "$LAB_DKIM_SELECTOR._domainkey.$d" | txt_join | cut -c1-30)'"
  got+=" dmarc '$(kq TXT "_dmarc.$d" | txt_join)'"
  # (the full DKIM key: compared below for the healthy domain)
  if [[ $got == "$want" ]]; then pass "dns $d: healthy but for its fault ($want)"
  else fail "dns $d: want $want, got $got"; fi
}

SPAM_DOMAINS=(HEALTHY NOSPF TWOSPF BADSPF MANYLOOKUPS VOIDS NOTAUTH NODKIM BADDKIM NODMARC
  BADDMARC NONEDMARC NOMX CNAMENOWHERE LONGSPF GARBAGE)

check_spam_dns() {
  local D=$LAB_DNS S=$LAB_SPAM_ZONE v got pub bg=() strings
  pub=$(base64 -w0 "$LAB_DKIM_PUB")
  SPAM_DKIM="v=DKIM1; k=rsa; p=$pub"
  for v in "${SPAM_DOMAINS[@]}"; do check_spam_domain "$v" & bg+=("$!"); done

  # DKIM: the healthy record is LAB_DKIM_KEY's public key, in strings of <= 255 bytes
  got=$(kq TXT "$LAB_DKIM_SELECTOR._domainkey.$LAB_SPAM_HEALTHY")
  strings=$(grep -o '"[^"]*"' <<<"$got" | awk '{print length($0) - 2}' | tr '\n' ' ')
  if [[ $(txt_join <<<"$got") == "$SPAM_DKIM" && $strings == "255 155 " ]] \
    && [[ $(openssl pkey -in "$LAB_DKIM_KEY" -pubout -outform DER 2>/dev/null | base64 -w0) == "$pub" ]]; then
    pass "dns DKIM $LAB_DKIM_SELECTOR._domainkey.$LAB_SPAM_HEALTHY = public key of $LAB_DKIM_KEY (strings: $strings)"
  else fail "dns DKIM $LAB_DKIM_SELECTOR._domainkey.$LAB_SPAM_HEALTHY: not the lab key in 255+155 bytes (strings: $strings)"; fi
  expect_rcode "$D" "_domainkey.$LAB_SPAM_NODKIM" NXDOMAIN +tcp

  # SPF
  expect_dns "$D" "$LAB_SPAM_HEALTHY" TXT "\"v=spf1 include:_spf.$LAB_SPAM_HEALTHY -all\"" +tcp
  expect_dns "$D" "_spf.$LAB_SPAM_HEALTHY" TXT "\"v=spf1 ip4:$LAB_SEND_GOOD4 ip6:$LAB_MAIL6 -all\"" +tcp
  expect_dns "$D" "$LAB_SPAM_NOSPF" TXT '"lab-site-verification=nospf-7f3a9c"' +tcp
  expect_dns "$D" "$LAB_SPAM_BADSPF" TXT "\"v=spf1 ip4:$LAB_SEND_GOOD4 ip4:198.51.100.300 -all\"" +tcp
  expect_dns "$D" "$LAB_SPAM_NOTAUTH" TXT '"v=spf1 ip4:192.0.2.1 -all"' +tcp
  expect_dns "$D" "$LAB_SPAM_VOIDS" TXT "\"v=spf1 a:void1.$S a:void2.$S a:void3.$S ip4:$LAB_SEND_GOOD4 -all\"" +tcp
  for v in void1 void2 void3 hop2; do expect_rcode "$D" "$v.$S" NXDOMAIN +tcp; done
  for v in HEALTHY:"1 0" MANYLOOKUPS:"12 0" VOIDS:"3 3"; do
    local d=LAB_SPAM_${v%%:*}
    got=$(spf_lookups "${!d}")
    if [[ $got == "${v#*:}" ]]; then pass "spf ${!d}: DNS-querying terms, voids: $got"
    else fail "spf ${!d}: want lookups/voids '${v#*:}', got '$got'"; fi
  done
  got=$(kq TXT "$LAB_SPAM_MANYLOOKUPS" | txt_join)
  if [[ $got == *" ip4:$LAB_SEND_GOOD4 -all" ]]; then pass "spf $LAB_SPAM_MANYLOOKUPS: ip4 $LAB_SEND_GOOD4 last"
  else fail "spf $LAB_SPAM_MANYLOOKUPS: ip4 $LAB_SEND_GOOD4 not last: $got"; fi
  got=$(kq TXT "$LAB_SPAM_LONGSPF")
  strings=$(grep -o '"[^"]*"' <<<"$got" | awk '{print length($0) - 2}' | tr '\n' ' ')
  got=$(txt_join <<<"$got")
  if [[ $strings == "255 255 32 " && $got == "v=spf1 "*" ip4:$LAB_SEND_GOOD4 -all" ]]; then
    pass "spf $LAB_SPAM_LONGSPF: ${#got} bytes in strings of $strings"
  else fail "spf $LAB_SPAM_LONGSPF: strings '$strings', record '$got'"; fi
  expect_dns "$D" "$LAB_SPAM_GARBAGE" TXT '"v=spf1 \001\027[31mRED\027[0m \127\200\201 caf\195\169 \255\254 -all"' +tcp
  expect_dns "$D" "$LAB_SPAM_CNAMENOWHERE" TXT "hop1.$S. hop2.$S." +tcp
  expect_rcode "$D" "$LAB_SPAM_CNAMENOWHERE" NXDOMAIN +tcp
  # DMARC and MX: nothing at the organisational domain; nomx has no address either
  expect_rcode "$D" "_dmarc.$S" NXDOMAIN +tcp
  expect_dns "$D" "$LAB_SPAM_NOMX" A "" +tcp
  expect_dns "$D" "$LAB_SPAM_NOMX" AAAA "" +tcp

  # Reverse DNS of the sending IPs, and the forward names
  expect_dns "$D" "$LAB_SEND_GOOD4" PTR "$LAB_SEND_GOOD_NAME." +tcp
  expect_rcode "$D" "$(rev4 "$LAB_SEND_NOPTR4").in-addr.arpa" NXDOMAIN +tcp
  expect_dns "$D" "$LAB_SEND_MISMATCH4" PTR "$LAB_SEND_MISMATCH_NAME." +tcp
  expect_dns "$D" "$LAB_SEND_MISMATCH_NAME" A "$LAB_SEND_MISMATCH_FORWARD4" +tcp
  expect_dns "$D" "$LAB_SEND_LISTED4" PTR "$LAB_SEND_LISTED_NAME." +tcp
  expect_dns "$D" "$LAB_SEND_LISTED_NAME" A "$LAB_SEND_LISTED4" +tcp

  # Blocklists
  local listed good
  listed=$(rev4 "$LAB_SEND_LISTED4") good=$(rev4 "$LAB_SEND_GOOD4")
  expect_dns "$D" "$listed.$LAB_DNSBL_ZONE" A 127.0.0.2 +tcp
  expect_dns "$D" "$listed.$LAB_DNSBL_ZONE" TXT '"listed: test entry"' +tcp
  expect_rcode "$D" "$good.$LAB_DNSBL_ZONE" NXDOMAIN +tcp
  expect_dns "$D" "2.0.0.127.$LAB_DNSBL_ZONE2" A 127.0.0.2 +tcp
  expect_rcode "$D" "1.0.0.127.$LAB_DNSBL_ZONE2" NXDOMAIN +tcp
  expect_rcode "$D" "$listed.$LAB_DNSBL_ZONE2" NXDOMAIN +tcp
  expect_dns "$D" "1.0.0.127.$LAB_DNSBL_WORLD" A 127.0.0.2 +tcp
  expect_dns "$D" "$good.$LAB_DNSBL_WORLD" A 127.0.0.2 +tcp
  expect_dns "$D" "1.0.0.127.$LAB_DNSBL_QUOTA" A 127.255.255.254 +tcp
  expect_dns "$D" "$listed.$LAB_DNSBL_QUOTA" A 127.255.255.254 +tcp
  expect_dns "$D" "2.0.0.127.$LAB_DNSBL_CODES" A 127.0.0.2 +tcp
  expect_dns "$D" "$listed.$LAB_DNSBL_CODES" A "127.0.0.4 127.0.0.11" +tcp
  expect_rcode "$D" "1.0.0.127.$LAB_DNSBL_CODES" NXDOMAIN +tcp
  for v in "$LAB_DNSBL_ZONE2" "$LAB_DNSBL_WORLD" "$LAB_DNSBL_QUOTA" "$LAB_DNSBL_CODES"; do
    expect_dns "$D" "$v" NS "ns.lab.test." +tcp
  done
  wait "${bg[@]}" || true
}

# ---- TLS-inspection hosts (broken certificates) and fault hosts

# openssl s_client's report for HOST:PORT, implicit TLS or STARTTLS, asking
# for (SNI) and checking the name NAME. Usage: tls_report HOST PORT MODE NAME
tls_report() {
  local extra=()
  [[ $3 == starttls ]] && extra=(-starttls smtp)
  timeout 5 openssl s_client -connect "$1:$2" "${extra[@]}" -servername "$4" -CAfile "$LAB_CA" \
    -verify_hostname "$4" -showcerts </dev/null 2>&1
}

# The host LAB_<V>4 presents its broken certificate on PORT (MODE: implicit
# or starttls): the handshake completes, verification fails with the error
# that is its point, and it sends the expected number of certificates.
expect_badcert() {
  local v=$1 port=$2 mode=$3 addr name out code verdict n leaf want note='' ok=1
  addr=LAB_${v}4 name=LAB_${v}_NAME
  addr=${!addr} name=${!name}
  out=$(tls_report "$addr" "$port" "$mode" "$name") || true
  verdict=$(sed -n 's/^ *Verify return code: //p' <<<"$out" | tail -n 1)
  code=${verdict%% *}
  n=$(grep -c 'BEGIN CERTIFICATE' <<<"$out" || true)
  leaf=$(awk '/BEGIN CERTIFICATE/ {p = 1} p {print} /END CERTIFICATE/ {exit}' <<<"$out")
  case $v in                                  # verify code, certificates sent
    EXPIRED) want="10 2" ;;                   # certificate has expired
    FUTURE) want="9 2" ;;                     # certificate is not yet valid
    WRONGNAME) want="62 2" ;;                 # hostname mismatch
    SELFSIGNED) want="18 1" ;;                # self-signed certificate
    NOCHAIN) want="21 1" ;;                   # unable to verify the first certificate
  esac
  [[ "$code $n" == "$want" ]] || ok=0
  case $v in
    WRONGNAME)
      note=$(openssl x509 -noout -ext subjectAltName <<<"$leaf" 2>/dev/null | sed 1d | tr -d ' ')
      [[ $note == "DNS:${LAB_WRONGNAME_CERT_NAMES//,/,DNS:}" ]] || ok=0 ;;
    SELFSIGNED)
      local subj iss
      subj=$(openssl x509 -noout -subject <<<"$leaf" 2>/dev/null) iss=$(openssl x509 -noout -issuer <<<"$leaf" 2>/dev/null)
      [[ -n $subj && ${subj#subject=} == "${iss#issuer=}" ]] || ok=0
      note="issuer = subject: ${iss#issuer=}" ;;
    NOCHAIN)   # the leaf itself is good: it verifies once the intermediate is supplied
      if openssl verify -CAfile "$LAB_CA" -untrusted "$STATE/ca/intermediate.pem" -verify_hostname "$name" \
        <(echo "$leaf") >/dev/null 2>&1; then note="leaf verifies with the intermediate"
      else ok=0 note="leaf does not verify even with the intermediate"; fi ;;
    EXPIRED | FUTURE)
      note=$(openssl x509 -noout -startdate -enddate <<<"$leaf" 2>/dev/null | tr '\n' ' ') ;;
  esac
  if ((ok)); then pass "tls $name:$port $mode: verify $verdict, $n certs${note:+; $note}"
  else fail "tls $name:$port $mode: want verify code/certs '$want', got '$code $n' ($verdict)${note:+; $note}"; fi
}

# All three ports of one broken-certificate host (run in the background).
check_tls_host() {
  expect_badcert "$1" "$LAB_PORT_SUBMISSIONS" implicit
  expect_badcert "$1" "$LAB_PORT_SUBMISSION" starttls
  expect_badcert "$1" "$LAB_PORT_SMTP" starttls
}

# nostarttls: 25 and 587 greet and offer no STARTTLS; nothing on 465.
check_nostarttls() {
  local p ehlo
  for p in "$LAB_PORT_SMTP" "$LAB_PORT_SUBMISSION"; do
    if ! ehlo=$(smtp_ehlo "$LAB_NOSTARTTLS4" "$p"); then fail "smtp $LAB_NOSTARTTLS_NAME:$p: no greeting"
    elif grep -q '^250.STARTTLS' <<<"$ehlo"; then fail "smtp $LAB_NOSTARTTLS_NAME:$p offers STARTTLS"
    elif ! grep -q "^250 " <<<"$ehlo"; then fail "smtp $LAB_NOSTARTTLS_NAME:$p: no EHLO reply"
    else pass "smtp $LAB_NOSTARTTLS_NAME:$p greets, no STARTTLS in EHLO"; fi
  done
  expect_tcp "$LAB_NOSTARTTLS4" "$LAB_PORT_SUBMISSIONS" refused
}

# The fault hosts (Scripts/lab/faultcheck.py, about 1.5 s), then: the endless
# sender stops once its client has gone.
check_faults() {
  local out line i left
  out=$("$PY" "$HERE/lab/faultcheck.py" 2>&1) || true
  while IFS= read -r line; do
    case $line in "ok   "* | "FAIL "*) echo "$line" >>"$RESULTS" ;; *) fail "faultcheck.py: $line" ;; esac
  done <<<"$out"
  grep -q '^ok   fault ' <<<"$out" || fail "faultcheck.py: no results"
  for ((i = 0; i < 20; i++)); do
    left=$(nsx ss -Htn state connected exclude time-wait "( sport = :$LAB_HOSTILE_ENDLESS )" | wc -l)
    ((left == 0)) && break
    sleep 0.1
  done
  if ((left == 0)); then pass "fault hostile:$LAB_HOSTILE_ENDLESS stops sending once the client is gone"
  else fail "fault hostile:$LAB_HOSTILE_ENDLESS: $left connections still open after the client left"; fi
}

# The hostile TLS ports with real certificates: the 50-deep chain (STARTTLS)
# is sent whole and verifies to the lab root; the 10,000-name leaf (implicit
# TLS) is read from its file, and on the wire OpenSSL's client refuses it
# ("excessive message size": its certificate list limit is 100 KB), which is
# enough to show the port serves it.
check_hostile_tls() {
  local d=$LAB_HOSTILE_TLS_DIR out n names
  out=$(timeout 5 openssl s_client -connect "$LAB_HOSTILE4:$LAB_HOSTILE_DEEPCHAIN" -starttls smtp \
    -servername "$LAB_HOSTILE_NAME" -CAfile "$LAB_CA" -verify_hostname "$LAB_HOSTILE_NAME" -showcerts </dev/null 2>&1) || true
  n=$(grep -c 'BEGIN CERTIFICATE' <<<"$out" || true)
  if [[ $out == *"Verify return code: 0 (ok)"* ]] && ((n == LAB_HOSTILE_DEEPCHAIN_DEPTH)); then
    pass "tls hostile:$LAB_HOSTILE_DEEPCHAIN starttls: $n certificates sent, verifies to the lab root"
  else fail "tls hostile:$LAB_HOSTILE_DEEPCHAIN: want $LAB_HOSTILE_DEEPCHAIN_DEPTH certificates verifying, got $n: $(grep -m1 -i 'verify return\|error' <<<"$out")"; fi
  names=$(openssl x509 -in "$d/bigcert.pem" -noout -ext subjectAltName 2>/dev/null | grep -o 'DNS:' | wc -l)
  out=$(timeout 5 openssl s_client -connect "$LAB_HOSTILE4:$LAB_HOSTILE_BIGCERT" -servername "$LAB_HOSTILE_NAME" \
    -CAfile "$LAB_CA" </dev/null 2>&1) || true
  if ((names == LAB_HOSTILE_BIGCERT_NAMES)) && [[ $out == *"excessive message size"* || $out == *"Verify return code: 0 (ok)"* ]]; then
    pass "tls hostile:$LAB_HOSTILE_BIGCERT implicit: leaf of $names names ($(wc -c <"$d/bigcert.pem") bytes PEM) served"
  else fail "tls hostile:$LAB_HOSTILE_BIGCERT: leaf has $names names; handshake: $(grep -m1 -i 'error\|verify return' <<<"$out")"; fi
}

cmd_check() {
  local t0 tmp a p
  t0=$(now)
  [[ -e /run/netns/$NS && -d $STATE ]] || die "lab is not up (no namespace $NS or no $STATE)"
  tmp=$(mktemp -d "$STATE/check.XXXXXX")
  RESULTS=$tmp/results
  : >"$RESULTS"

  # Slow probes run in the background meanwhile (only these pids are awaited:
  # a bare `wait` would also wait for the lab's daemons started by `up`).
  local bg=()
  expect_tcp "$LAB_NOHOST4" 25 unreach 1500 6000 7 & bg+=("$!")     # ARP gives up after ~3 s
  expect_tcp "$LAB_DARK4" 25 timeout 900 3000 1 & bg+=("$!")
  expect_tcp "$LAB_DARK4" 443 timeout 900 3000 1 & bg+=("$!")
  expect_tcp "$LAB_DARK6" 25 timeout 900 3000 1 & bg+=("$!")
  for p in "${SMTP_PORTS[@]}"; do expect_tcp "$LAB_SMTPBLOCK4" "$p" timeout 900 3000 1 & bg+=("$!"); done
  local s
  for s in udp tcp; do
    local opt=+notcp
    [[ $s == tcp ]] && opt=+tcp
    kdig -p "${LAB_SILENT_DNS#*:}" "@${LAB_SILENT_DNS%:*}" "$opt" +timeout=1 +retry=0 lab.test A \
      </dev/null >"$tmp/silent-$s" 2>&1 & bg+=("$!")
  done

  # Broken certificates, the fault hosts: in the background too (~1.5 s each)
  local v
  for v in "${TLS_HOSTS[@]}"; do
    [[ $v == NOSTARTTLS ]] && continue
    check_tls_host "$v" & bg+=("$!")
  done
  check_nostarttls & bg+=("$!")
  check_faults & bg+=("$!")
  check_hostile_tls & bg+=("$!")
  check_spam_dns & bg+=("$!")

  # mail: Postfix on 25/587/2525 (STARTTLS) and 465 (implicit TLS), 443 open
  for a in "$LAB_MAIL4" "$LAB_MAIL6"; do
    for p in "$LAB_PORT_SMTP" "$LAB_PORT_SUBMISSION" "$LAB_PORT_ALT"; do expect_smtp "$a" "$p"; done
    expect_tls "$a" "$LAB_PORT_SUBMISSIONS"
    expect_tcp "$a" "$LAB_PORT_HTTPS" open
  done
  expect_tls "$LAB_MAIL4" "$LAB_PORT_SUBMISSION" starttls
  # closed: RST everywhere but 587
  for p in "$LAB_PORT_SMTP" "$LAB_PORT_SUBMISSIONS" "$LAB_PORT_ALT" "$LAB_PORT_HTTPS"; do
    expect_tcp "$LAB_CLOSED4" "$p" refused
  done
  expect_smtp "$LAB_CLOSED4" "$LAB_PORT_SUBMISSION"
  # reject: EHOSTUNREACH at once; smtpreject: the same on mail ports only
  expect_tcp "$LAB_REJECT4" 25 unreach
  expect_tcp "$LAB_REJECT4" 443 unreach
  for p in "${SMTP_PORTS[@]}"; do expect_tcp "$LAB_SMTPREJECT4" "$p" unreach; done
  expect_tcp "$LAB_SMTPREJECT4" "$LAB_PORT_HTTPS" open
  expect_tcp "$LAB_SMTPBLOCK4" "$LAB_PORT_HTTPS" open
  # Dead DNS: nothing listens
  expect_tcp "${LAB_DEAD_DNS%:*}" "${LAB_DEAD_DNS#*:}" refused

  # SMTP AUTH (sasldb): after STARTTLS on 587, on 465's implicit TLS; never in
  # clear text (smtpd_tls_auth_only) and never on 25.
  local auth=(--ehlo probe.lab.test --tls-verify --tls-ca-path "$LAB_CA" --auth PLAIN
    --auth-user "$LAB_USER" --auth-password "$LAB_PASSWORD" --quit-after AUTH)
  expect_auth ok "$LAB_MAIL4:$LAB_PORT_SUBMISSION" --tls "${auth[@]}"
  expect_auth ok "[$LAB_MAIL6]:$LAB_PORT_SUBMISSIONS" --tlsc "${auth[@]}"
  expect_auth refused "$LAB_MAIL4:$LAB_PORT_SMTP" --tls "${auth[@]}"
  if smtp_ehlo "$LAB_MAIL4" "$LAB_PORT_SUBMISSION" | grep -q '^250.AUTH'; then
    fail "smtp $LAB_MAIL4:$LAB_PORT_SUBMISSION offers AUTH before STARTTLS"
  else pass "smtp $LAB_MAIL4:$LAB_PORT_SUBMISSION offers no AUTH before STARTTLS"; fi

  # DNS (knot)
  expect_dns "$LAB_DNS" mail.lab.test A "$LAB_MAIL4"
  expect_dns "$LAB_DNS" mail.lab.test AAAA "$LAB_MAIL6"
  expect_dns "$LAB_DNS" lab.test MX "10 mail.lab.test."
  expect_dns "$LAB_DNS" v6broken.lab.test AAAA "$LAB_DARK6"
  expect_dns "$LAB_DNS" v6only.lab.test A ""
  expect_dns "$LAB_DNS" noaddr.lab.test A ""
  expect_dns "$LAB_DNS" alias.lab.test A "mail.lab.test. $LAB_MAIL4"
  expect_dns "$LAB_DNS" _dmarc.lab.test TXT '"v=DMARC1; p=reject; rua=mailto:dmarc@lab.test"'
  expect_dns "$LAB_DNS" "$LAB_MAIL4" PTR "mail.lab.test."
  expect_dns "$LAB_DNS" "$LAB_MAIL6" PTR "mail.lab.test."
  expect_dns "$LAB_DNS" 2.0.0.127.bl.lab.test A 127.0.0.2
  expect_dns "$LAB_DNS" 2.0.0.127.bl.lab.test TXT '"listed for test"'
  expect_rcode "$LAB_DNS" 1.0.0.127.bl.lab.test NXDOMAIN
  expect_rcode "$LAB_DNS" example.com REFUSED
  for v in "${TLS_HOSTS[@]}" "${FAULT_HOSTS[@]}"; do
    local name=LAB_${v}_NAME addr=LAB_${v}4
    expect_dns "$LAB_DNS" "${!name}" A "${!addr}"
  done
  # ... and from inside the namespace (Postfix's resolver)
  local inside
  inside=$(nsx kdig +timeout=1 +retry=0 +short mail.lab.test A 2>/dev/null || true)
  if [[ $inside == "$LAB_MAIL4" ]]; then pass "dns from namespace via /etc/resolv.conf -> $inside"
  else fail "dns from namespace: got '$inside'"; fi

  wait "${bg[@]}" || true
  for s in udp tcp; do
    if grep -q 'status:' "$tmp/silent-$s"; then fail "silent dns ($s) answered"
    else pass "silent dns ($s) never answers"; fi
  done

  local nfail
  nfail=$(grep -c '^FAIL' "$RESULTS" || true)
  if [[ ${LAB_VERBOSE:-0} == 1 || $nfail -gt 0 ]]; then sed 's/^/  /' "$RESULTS"; fi
  local n
  n=$(wc -l <"$RESULTS")
  rm -rf "$tmp"
  ((nfail == 0)) || die "self-check: $nfail of $n checks failed"
  log "self-check: $n checks passed ($(ms_since "$t0") ms)"
}
