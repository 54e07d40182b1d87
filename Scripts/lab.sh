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
#
# The pieces live in Scripts/lab/ (sourced below): certs.sh (lab CA, mail,
# broken and hostile certificates), network.sh (namespace, addresses, firewall), dns.sh
# (knot, silent DNS), servers.sh (443 listeners, Postfix, the fault server),
# check.sh (the self-check); faults.py is the fault server (SMTP misbehaviour
# no MTA shows) and faultcheck.py its self-check.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lab.env
source "$HERE/lab.env"

STATE=$LAB_DIR
NS=$LAB_NETNS
MARKER=.smtp-doctor-lab          # marks a directory as ours (safe to rm -rf)
PFDIR=$STATE/postfix             # Postfix config dir (main.cf, master.cf)
KNOTDIR=$STATE/knot
PY=/usr/bin/python3                  # Debian's (deps.sh); the fault server uses its stdlib only
[[ -x $PY ]] || PY=python3
SMTP_PORTS=("$LAB_PORT_SMTP" "$LAB_PORT_SUBMISSIONS" "$LAB_PORT_SUBMISSION" "$LAB_PORT_ALT")
# Hosts named X in lab.env as LAB_X4 (address) and LAB_X_NAME (DNS name):
TLS_HOSTS=(EXPIRED WRONGNAME SELFSIGNED NOCHAIN FUTURE NOSTARTTLS)   # Postfix, broken TLS
FAULT_HOSTS=(SILENT SLOW BUSY REFUSE TLSSTALL INJECT AUTHFAULT HOSTILE)  # Scripts/lab/faults.py

host_addrs() { local v a; for v in "$@"; do a=LAB_${v}4; echo "${!a}"; done; }
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
      read -r comm 2>/dev/null <"$f" || continue
      [[ $comm == knotd || $comm == socat ]] || continue
      pid=${f#/proc/}; pid=${pid%/comm}
      tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$STATE/" && echo "$pid"
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


# Certificates, network, DNS, servers and the self-check:
# shellcheck source=lab/certs.sh
source "$HERE/lab/certs.sh"
# shellcheck source=lab/network.sh
source "$HERE/lab/network.sh"
# shellcheck source=lab/dns.sh
source "$HERE/lab/dns.sh"
# shellcheck source=lab/servers.sh
source "$HERE/lab/servers.sh"
# shellcheck source=lab/check.sh
source "$HERE/lab/check.sh"

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

# The daemons must not inherit the caller's descriptors: under
# `flock /tmp/lab.lock Scripts/lab.sh up`, knotd, socat and the fault server
# would otherwise hold the lock for as long as the lab runs, and the next
# `flock` would wait forever. (flock itself keeps the lock until `up` ends.)
# Bash reads this script on fd 255: that one stays.
close_inherited_fds() {
  local fd
  for fd in "/proc/$$/fd"/*; do
    fd=${fd##*/}
    if [[ $fd =~ ^[0-9]+$ ]] && ((fd > 2 && fd != 255)); then
      eval "exec $fd>&-" 2>/dev/null || true
    fi
  done
}

cmd_up() {
  local t0 c
  t0=$(now)
  close_inherited_fds
  for c in ip ss nft knotd kdig socat nc postfix saslpasswd2 swaks openssl setsid timeout "$PY"; do
    command -v "$c" >/dev/null || die "missing command '$c': run Scripts/deps.sh"
  done
  cmd_down >/dev/null
  trap on_up_exit EXIT
  make_state_dir
  log "certificates"; make_certs; make_fault_certs; make_hostile_certs
  log "  hostile TLS certificates ($LAB_HOSTILE_BIGCERT_NAMES names, $LAB_HOSTILE_DEEPCHAIN_DEPTH-deep chain) in $HOSTILE_CERTS_MS ms"
  log "network namespace $NS"; make_network
  log "dns (knot $LAB_DNS, silent $LAB_SILENT_DNS)"; start_dns
  log "port $LAB_PORT_HTTPS listeners"; start_https
  log "postfix"; start_postfix
  log "fault server"; start_faults
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
