#!/usr/bin/env bash
# smtp-doctor test lab: real mail and DNS servers, firewalls and dead hosts on
# this machine only (loopback + a private network namespace).
#
#   Scripts/lab.sh up       build the lab (tears down leftovers first), self-check
#   Scripts/lab.sh down     remove everything the lab created
#   Scripts/lab.sh status   show what is running (exit 0 up, 3 down)
#   Scripts/lab.sh check    run the self-check against a running lab
#
# Constants (addresses, names, ports, credentials) are in Scripts/lab.env.
# Needs root and the packages from Scripts/deps.sh.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lab.env
source "$HERE/lab.env"

STATE=$LAB_DIR
NS=$LAB_NETNS
MARKER=.smtp-doctor-lab          # marks a directory as ours (safe to rm -rf)
PFDIR=$STATE/postfix             # Postfix config dir (main.cf, master.cf)
KNOTDIR=$STATE/knot
SMTP_PORTS=("$LAB_PORT_SMTP" "$LAB_PORT_SUBMISSIONS" "$LAB_PORT_SUBMISSION" "$LAB_PORT_ALT")

log() { printf 'lab: %s\n' "$*"; }
die() { printf 'lab: ERROR: %s\n' "$*" >&2; exit 1; }
nsx() { ip netns exec "$NS" "$@"; }
now() { printf '%s' "${EPOCHREALTIME/[.,]/}"; }     # microseconds
ms_since() { echo $((($(now) - $1) / 1000)); }

need_root() { ((EUID == 0)) || die "must run as root (network namespaces, port 53, Postfix)"; }

# ---------------------------------------------------------------- processes

# A process counts as gone once it has exited (PID 1 here reaps zombies late).
alive() {
  local stat
  read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  stat=${stat##*) }                  # fields after "pid (comm) "; first is the state
  [[ ${stat%% *} != [ZX] ]]
}

# TERM the given pids, wait up to 3 s, then KILL the stragglers.
stop_pids() {
  local pid i left
  (($#)) || return 0
  kill -TERM "$@" 2>/dev/null || true
  for ((i = 0; i < 30; i++)); do
    left=()
    for pid in "$@"; do alive "$pid" && left+=("$pid"); done
    ((${#left[@]})) || return 0
    sleep 0.1
  done
  kill -KILL "${left[@]}" 2>/dev/null || true
  for ((i = 0; i < 10; i++)); do
    left=()
    for pid in "$@"; do alive "$pid" && left+=("$pid"); done
    ((${#left[@]})) || return 0
    sleep 0.1
  done
  log "warning: could not stop pids ${left[*]}"
}

# Every process of the lab: all processes inside the namespace, plus the
# root-namespace daemons (knotd, socat) whose command line names the state
# directory (their config / log file is there).
lab_pids() {
  local f pid comm
  {
    if [[ -e /run/netns/$NS ]]; then ip netns pids "$NS" 2>/dev/null || true; fi
    for f in /proc/[0-9]*/comm; do
      read -r comm <"$f" 2>/dev/null || continue
      [[ $comm == knotd || $comm == socat ]] || continue
      pid=${f#/proc/}; pid=${pid%/comm}
      tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$STATE/" && echo "$pid"
    done
  } | sort -un | while read -r pid; do
    [[ $pid =~ ^[0-9]+$ ]] && ((pid != $$)) && alive "$pid" && echo "$pid"
  done
  return 0
}

# Start a daemon in the background, detached from the caller's session and
# stdio. Usage: spawn LOGNAME CMD...
spawn() {
  local name=$1; shift
  setsid "$@" </dev/null >>"$STATE/log/$name.log" 2>&1 &
}

# Wait until CMD succeeds, trying every 0.1 s for at most SECS seconds; fail
# at once when the command GUARD says the daemon has died.
# Usage: wait_for SECS WHAT GUARD CMD...
wait_for() {
  local secs=$1 what=$2 guard=$3 deadline; shift 3
  deadline=$(($(now) + secs * 1000000))
  while (($(now) < deadline)); do
    "$@" >/dev/null 2>&1 && return 0
    "$guard" || die "$what exited during start-up"
    sleep 0.1
  done
  die "$what not ready after ${secs}s"
}
knot_ok() { ! grep -q 'critical:' "$STATE/log/knot.log" 2>/dev/null; }
postfix_ok() {
  local pid f=$STATE/postfix-spool/pid/master.pid
  [[ -s $f ]] || return 0
  read -r pid <"$f" && alive "$pid"
}

# ---------------------------------------------------------------- down

cmd_down() {
  local pids t0
  t0=$(now)
  mapfile -t pids < <(lab_pids)
  if ((${#pids[@]})); then stop_pids "${pids[@]}"; fi
  # Deleting one end of the veth deletes both.
  if ip link show "$LAB_VETH_ROOT" >/dev/null 2>&1; then ip link del "$LAB_VETH_ROOT"; fi
  if [[ -e /run/netns/$NS ]]; then ip netns del "$NS"; fi
  rm -rf "/etc/netns/$NS"
  if [[ -d /etc/netns ]]; then rmdir --ignore-fail-on-non-empty /etc/netns; fi
  if [[ -d $STATE ]]; then
    if [[ -e $STATE/$MARKER ]]; then
      rm -rf "$STATE"
    else
      log "warning: $STATE is not a lab state dir (no $MARKER); left alone"
    fi
  fi
  log "down (${#pids[@]} processes stopped, $(ms_since "$t0") ms)"
}

# ---------------------------------------------------------------- up: pieces

make_state_dir() {
  case $STATE in /*/*) ;; *) die "SMTP_DOCTOR_LAB_DIR must be an absolute path below /: $STATE" ;; esac
  if [[ -d $STATE && ! -e $STATE/$MARKER ]] && [[ -n $(ls -A "$STATE") ]]; then
    die "$STATE exists, is not empty and is not a lab state dir; refusing to use it"
  fi
  mkdir -p "$STATE" "$STATE/log" "$STATE/bin"
  touch "$STATE/$MARKER"
  chmod 755 "$STATE"    # Postfix (user postfix) must traverse it
}

# Lab root CA -> intermediate -> leaf (DNS SANs only, no IP SANs).
make_certs() {
  local d=$STATE/ca
  mkdir -p "$d"
  local key=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
  cat >"$d/ext.cnf" <<'EOF'
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[intermediate]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:mail.lab.test, DNS:closed.lab.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
  openssl req -x509 "${key[@]}" -keyout "$d/root.key" -out "$d/root.pem" -days 3650 \
    -subj "/O=smtp-doctor lab/CN=smtp-doctor lab root" \
    -config "$d/ext.cnf" -extensions root 2>/dev/null
  openssl req -new "${key[@]}" -keyout "$d/intermediate.key" -out "$d/intermediate.csr" \
    -subj "/O=smtp-doctor lab/CN=smtp-doctor lab intermediate" 2>/dev/null
  openssl x509 -req -in "$d/intermediate.csr" -CA "$d/root.pem" -CAkey "$d/root.key" \
    -set_serial "0x$(openssl rand -hex 8)" -days 3650 \
    -extfile "$d/ext.cnf" -extensions intermediate -out "$d/intermediate.pem" 2>/dev/null
  openssl req -new "${key[@]}" -keyout "$d/mail.key" -out "$d/mail.csr" \
    -subj "/O=smtp-doctor lab/CN=mail.lab.test" 2>/dev/null
  openssl x509 -req -in "$d/mail.csr" -CA "$d/intermediate.pem" -CAkey "$d/intermediate.key" \
    -set_serial "0x$(openssl rand -hex 8)" -days 825 \
    -extfile "$d/ext.cnf" -extensions leaf -out "$d/mail.pem" 2>/dev/null
  cat "$d/mail.pem" "$d/intermediate.pem" >"$d/chain.pem"     # what servers send
  rm -f "$d"/*.csr
  chmod 600 "$d"/*.key
  openssl verify -CAfile "$d/root.pem" -untrusted "$d/intermediate.pem" "$d/mail.pem" >/dev/null \
    || die "generated certificate chain does not verify"
}

make_network() {
  ip netns add "$NS"
  ip link add "$LAB_VETH_ROOT" type veth peer name "$LAB_VETH_NS" netns "$NS"
  # No DAD anywhere on this link: addresses are usable at once.
  sysctl -qw "net.ipv6.conf.$LAB_VETH_ROOT.accept_dad=0"
  nsx sysctl -qw "net.ipv6.conf.$LAB_VETH_NS.accept_dad=0"
  ip addr add "$LAB_ROOT4/24" dev "$LAB_VETH_ROOT"
  ip addr add "$LAB_ROOT6/64" dev "$LAB_VETH_ROOT" nodad
  ip link set "$LAB_VETH_ROOT" up

  nsx ip link set lo up
  local a
  for a in "$LAB_MAIL4" "$LAB_CLOSED4" "$LAB_DARK4" "$LAB_REJECT4" "$LAB_SMTPBLOCK4" "$LAB_SMTPREJECT4"; do
    nsx ip addr add "$a/24" dev "$LAB_VETH_NS"
  done
  for a in "$LAB_MAIL6" "$LAB_DARK6"; do
    nsx ip addr add "$a/64" dev "$LAB_VETH_NS" nodad
  done
  nsx ip link set "$LAB_VETH_NS" up
  # No ICMP rate limiting, or after a burst of rejects connect() takes a second.
  nsx sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
  # (The namespace has no default route: nothing in it can reach beyond the link.)

  # Firewall, inside the namespace only.
  local smtp
  smtp=$(IFS=,; echo "${SMTP_PORTS[*]}")
  nsx nft -f - <<EOF
table inet sdlab {
  chain input {
    type filter hook input priority filter; policy accept;
    # dark: every packet dropped (ARP is not seen here, so the host stays on the link)
    ip daddr $LAB_DARK4 drop
    # dark6: everything dropped except neighbour discovery (same reason)
    ip6 daddr $LAB_DARK6 icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept
    ip6 daddr $LAB_DARK6 drop
    # reject: every TCP SYN refused by an "administratively prohibited" ICMP
    ip daddr $LAB_REJECT4 tcp flags & (syn | ack) == syn reject with icmp type admin-prohibited
    # smtpblock / smtpreject: only the mail ports
    ip daddr $LAB_SMTPBLOCK4 tcp dport { $smtp } drop
    ip daddr $LAB_SMTPREJECT4 tcp dport { $smtp } reject with icmp type admin-prohibited
  }
}
EOF
  # Resolver for processes in the namespace (ip netns exec bind-mounts it).
  mkdir -p "/etc/netns/$NS"
  echo "nameserver $LAB_ROOT4" >"/etc/netns/$NS/resolv.conf"
}

make_zones() {
  local z=$KNOTDIR/zones soa
  mkdir -p "$z" "$KNOTDIR/db" "$KNOTDIR/run"
  soa="SOA ns.lab.test. hostmaster.lab.test. 1 3600 600 86400 60"
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

# Port 443 on mail, smtpblock and smtpreject: a plain TCP listener that
# answers any connection with a one-line HTTP error and closes.
start_https() {
  printf '#!/bin/sh\nprintf "HTTP/1.0 400 Bad Request\\r\\nContent-Length: 0\\r\\n\\r\\n"\n' \
    >"$STATE/bin/https-answer"
  chmod 755 "$STATE/bin/https-answer"
  local a
  for a in "$LAB_MAIL4" "[$LAB_MAIL6]" "$LAB_SMTPBLOCK4" "$LAB_SMTPREJECT4"; do
    local fam=TCP4 bind=$a
    [[ $a == \[* ]] && fam=TCP6
    spawn "https-${a//[\[\]:]/_}" ip netns exec "$NS" socat -lf "$STATE/log/https.log" \
      "$fam-LISTEN:$LAB_PORT_HTTPS,bind=$bind,reuseaddr,fork" "EXEC:$STATE/bin/https-answer"
  done
}

start_postfix() {
  local spool=$STATE/postfix-spool data=$STATE/postfix-data sasl=$PFDIR/sasl
  mkdir -p "$PFDIR" "$spool" "$data" "$sasl"
  chown postfix:postfix "$data"

  # SASL: Cyrus sasldb with the one lab user (realm lab.test). Debian's Postfix
  # reads smtpd.conf from $config_directory/sasl whatever cyrus_sasl_config_path says.
  cat >"$sasl/smtpd.conf" <<EOF
pwcheck_method: auxprop
auxprop_plugin: sasldb
sasldb_path: $sasl/sasldb2
mech_list: PLAIN LOGIN
EOF
  printf '%s' "$LAB_PASSWORD" | saslpasswd2 -p -c -f "$sasl/sasldb2" -u "${LAB_USER#*@}" "${LAB_USER%@*}"
  chown root:postfix "$sasl"/sasldb2*
  chmod 640 "$sasl"/sasldb2*

  cat >"$PFDIR/main.cf" <<EOF
# smtp-doctor lab: a private Postfix, generated by Scripts/lab.sh
compatibility_level = 3.6
queue_directory = $spool
data_directory = $data
maillog_file = $STATE/log/postfix.log
maillog_file_prefixes = $STATE/log
mail_owner = postfix
setgid_group = postdrop
myhostname = $LAB_MAIL_NAME
mydomain = $LAB_DOMAIN
myorigin = \$mydomain
mydestination = \$myhostname, \$mydomain, localhost
inet_interfaces = $LAB_MAIL4, $LAB_CLOSED4, [$LAB_MAIL6]
inet_protocols = all
mynetworks = 127.0.0.0/8, [::1]/128
smtpd_banner = \$myhostname ESMTP smtp-doctor lab
biff = no
alias_maps =
alias_database =
local_recipient_maps =
# Nothing can leave: every transport discards (and master.cf has no smtp client).
default_transport = discard
relay_transport = discard
local_transport = discard
virtual_transport = discard
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
# TLS: leaf + intermediate from the lab CA
smtpd_tls_security_level = may
smtpd_tls_chain_files = $STATE/ca/mail.key, $STATE/ca/mail.pem, $STATE/ca/intermediate.pem
smtpd_tls_auth_only = yes
smtpd_tls_loglevel = 1
# SASL (enabled per service in master.cf)
smtpd_sasl_auth_enable = no
smtpd_sasl_type = cyrus
smtpd_sasl_path = smtpd
cyrus_sasl_config_path = $sasl
smtpd_sasl_security_options = noanonymous
EOF

  # One smtpd per address:port; no chroot; no smtp/lmtp client services.
  local svc=() a
  for a in "$LAB_MAIL4" "[$LAB_MAIL6]"; do
    svc+=("$a:$LAB_PORT_SMTP inet n - n - - smtpd")
    svc+=("$a:$LAB_PORT_SUBMISSION inet n - n - - smtpd -o smtpd_sasl_auth_enable=yes")
    svc+=("$a:$LAB_PORT_ALT inet n - n - - smtpd -o smtpd_sasl_auth_enable=yes")
    svc+=("$a:$LAB_PORT_SUBMISSIONS inet n - n - - smtpd -o smtpd_tls_wrappermode=yes -o smtpd_sasl_auth_enable=yes")
  done
  svc+=("$LAB_CLOSED4:$LAB_PORT_SUBMISSION inet n - n - - smtpd -o smtpd_sasl_auth_enable=yes")
  {
    echo "# smtp-doctor lab: generated by Scripts/lab.sh"
    printf '%s\n' "${svc[@]}"
    cat <<'EOF'
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
  } >"$PFDIR/master.cf"

  nsx postfix -c "$PFDIR" start >>"$STATE/log/postfix-start.log" 2>&1 \
    || die "postfix failed to start (see $STATE/log/postfix-start.log, $STATE/log/postfix.log)"
  wait_for 10 "postfix" postfix_ok smtp_banner "$LAB_MAIL4" "$LAB_PORT_SMTP"
}

# ---------------------------------------------------------------- self-check

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

# ---------------------------------------------------------------- up/status

UP_DONE=0
on_up_exit() {
  local rc=$?
  ((rc == 0 && UP_DONE)) && return 0
  echo "lab: up failed; recent logs:" >&2
  local f
  for f in "$STATE"/log/*.log; do
    [[ -s $f ]] || continue
    echo "--- ${f##*/}" >&2
    tail -n 8 "$f" >&2
  done
  if [[ ${LAB_KEEP_ON_FAILURE:-0} == 1 ]]; then
    echo "lab: LAB_KEEP_ON_FAILURE=1: left as is; run '$0 down' to clean up" >&2
  else
    echo "lab: tearing down (set LAB_KEEP_ON_FAILURE=1 to keep it for debugging)" >&2
    cmd_down >&2 || true
  fi
  exit "$rc"
}

cmd_up() {
  local t0 c
  t0=$(now)
  for c in ip ss nft knotd kdig socat nc postfix saslpasswd2 swaks openssl setsid timeout; do
    command -v "$c" >/dev/null || die "missing command '$c': run Scripts/deps.sh"
  done
  cmd_down >/dev/null
  trap on_up_exit EXIT
  make_state_dir
  log "certificates"; make_certs
  log "network namespace $NS"; make_network
  log "dns (knot $LAB_DNS, silent $LAB_SILENT_DNS)"; start_dns
  log "port $LAB_PORT_HTTPS listeners"; start_https
  log "postfix"; start_postfix
  cmd_check
  UP_DONE=1
  log "up in $(ms_since "$t0") ms; state in $STATE; CA $LAB_CA"
}

cmd_status() {
  if [[ ! -e /run/netns/$NS ]]; then log "down"; return 3; fi
  log "namespace $NS: up"
  ip -br addr show dev "$LAB_VETH_ROOT" 2>/dev/null | sed 's/^/  root: /' || true
  nsx ip -br addr show dev "$LAB_VETH_NS" | sed 's/^/  ns:   /'
  local pid
  while read -r pid; do
    printf '  %-7s %s\n' "$pid" "$(tr '\0' ' ' </proc/"$pid"/cmdline 2>/dev/null | cut -c1-110)"
  done < <(lab_pids)
  echo "  listening (namespace):"
  nsx ss -Hltn | awk '{print "    " $4}' | sort -V | tr '\n' ' '; echo
  echo "  listening (root, lab ports):"
  ss -Hltun | awk -v a="${LAB_DNS#*:}" -v b="${LAB_SILENT_DNS#*:}" '$5 ~ ":(" a "|" b "|53)$" {print "    " $1 " " $5}' | sort -u
}

case ${1:-} in
  up) need_root; cmd_up ;;
  down) need_root; cmd_down ;;
  status) need_root; cmd_status ;;
  check) need_root; cmd_check ;;
  *) echo "usage: $0 up|down|status|check" >&2; exit 2 ;;
esac
