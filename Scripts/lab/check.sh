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

expect_dns() {    # SERVER NAME TYPE EXPECTED(+short, space-joined)
  local got q=("$2" "$3")
  [[ $3 == PTR ]] && q=(-x "$2")
  got=$(kdig -p "${1#*:}" "@${1%:*}" +timeout=1 +retry=0 +short "${q[@]}" 2>&1 | tr '\n' ' ' | sed 's/ $//')
  if [[ $got == "$4" ]]; then pass "dns $2 $3 = $got"; else fail "dns $2 $3: want '$4', got '$got'"; fi
}

expect_rcode() {  # SERVER NAME RCODE [kdig options]
  local srv=$1 name=$2 want=$3 got; shift 3
  got=$(kdig -p "${srv#*:}" "@${srv%:*}" +timeout=1 +retry=0 "$@" "$name" A 2>&1 | sed -n 's/.*status: \([A-Z]*\).*/\1/p' | head -1)
  [[ -n $got ]] || got=NO-ANSWER
  if [[ $got == "$want" ]]; then pass "dns $name @$srv $* -> $got"; else fail "dns $name @$srv $*: want $want, got $got"; fi
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
