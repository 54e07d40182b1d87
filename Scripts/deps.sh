#!/usr/bin/env bash
# Install the Debian packages smtp-doctor's build and test lab need.
# Idempotent: only missing packages are installed (apt-get update only then).
# Usage: Scripts/deps.sh [all|build]   (as root, or with sudo available)
#   all (default): everything, build + test lab;  build: only what compiling needs
set -euo pipefail

# publicsuffix: the Public Suffix List, read at run time to find a domain's
# organisational domain (DMARC); a small built-in list is used without it.
BUILD=(libc-ares-dev libncurses-dev publicsuffix)
LAB=(
  knot knot-dnsutils nftables iproute2 socat netcat-openbsd tmux
  postfix sasl2-bin libsasl2-modules libsasl2-modules-db
  swaks openssl procps python3 time
)
case ${1:-all} in
  all) PACKAGES=("${BUILD[@]}" "${LAB[@]}") ;;
  build) PACKAGES=("${BUILD[@]}") ;;
  *) echo "usage: $0 [all|build]" >&2; exit 2 ;;
esac

missing=()
for p in "${PACKAGES[@]}"; do
  # shellcheck disable=SC2016  # ${Status} is dpkg-query's, not ours
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
echo "deps: missing: ${missing[*]}"

# Not root: use sudo if we can, else say what to run.
SUDO=()
if ((EUID != 0)); then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "deps: not root and no sudo; run as root:" >&2
    echo "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
# Postfix: ask no questions, write no system configuration.
echo "postfix postfix/main_mailer_type select No configuration" | "${SUDO[@]}" debconf-set-selections

# Keep package scripts from starting system-wide daemons (knot, postfix...).
# Only create (and later remove) policy-rc.d if it is not there already.
POLICY=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e $POLICY ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$POLICY" >/dev/null
  "${SUDO[@]}" chmod 755 "$POLICY"
  created_policy=1
fi
cleanup() { if ((created_policy)); then "${SUDO[@]}" rm -f "$POLICY"; fi; }
trap cleanup EXIT

"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "deps: installed ${missing[*]}"
