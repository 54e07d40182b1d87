#!/usr/bin/env bash
# Run every test: installs what the tests need, brings the test lab up (real
# DNS server, real Postfix, network namespaces), runs `swift test` (unit,
# conformance, end-to-end, hostile-server and tmux terminal tests), brings the
# lab down again whatever happens, then fuzzes the parsers for about a minute
# (Scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

Scripts/deps.sh

if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi

cleanup() { Scripts/lab.sh down || true; }
trap cleanup EXIT INT TERM

echo "== building"
swift build --build-tests 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\] (Compiling|Emitting|Wrapping|Write|Linking)' || true
# The grep above hides progress only; fail here if the build itself failed.
swift build --build-tests >/dev/null

# The public conformance suites live in ../shared/conformance beside the
# repository. Without that folder, the RFC 7208 SPF suite still runs: it ships
# in pyspf's source package on PyPI, fetched and unpacked here (cached).
if [[ ! -d ../shared/conformance && -z ${SMTP_DOCTOR_CONFORMANCE:-} ]]; then
  cache=.build/conformance
  if [[ ! -f $cache/spf/rfc7208-tests.yml ]]; then
    echo "== fetching the RFC 7208 SPF suite (pyspf sdist from PyPI)"
    tmp=$(mktemp -d)
    if python3 -m pip download --quiet --no-deps --no-binary :all: --dest "$tmp" pyspf==2.0.14 >/dev/null 2>&1; then
      mkdir -p "$cache/spf"
      tar -xzf "$tmp"/pyspf-2.0.14.tar.gz -C "$tmp"
      cp "$tmp"/pyspf-2.0.14/test/rfc7208-tests.yml "$cache/spf/" || true
    fi
    rm -rf "$tmp"
  fi
  [[ -f $cache/spf/rfc7208-tests.yml ]] && export SMTP_DOCTOR_CONFORMANCE=$PWD/$cache
fi

echo "== test lab up"
Scripts/lab.sh up

echo "== swift test"
log=$(mktemp /tmp/smtp-doctor-test.XXXXXX.log)
set +e
SMTP_DOCTOR_LAB=1 swift test --skip-build --disable-swift-testing 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

Scripts/lab.sh down >/dev/null 2>&1 || true
trap - EXIT INT TERM

# A short fuzz run of every parser of untrusted input (Fuzz/, libFuzzer +
# AddressSanitizer): about 60 s shared across the targets, after its build.
# Its failure fails the test command; its summary comes before the tests' own.
# It adds nothing to Fuzz/corpus (FUZZ_KEEP=1 to keep what it finds; the long
# run of Fuzz/README.md does). SMTP_DOCTOR_FUZZ_SECONDS=0 skips it.
fuzz_status=0
fuzz_seconds=${SMTP_DOCTOR_FUZZ_SECONDS:-60}
if ((fuzz_seconds > 0)); then
  echo "== fuzz (${fuzz_seconds} s across the targets)"
  FUZZ_KEEP=${FUZZ_KEEP:-0} Scripts/fuzz.sh --total "$fuzz_seconds" || fuzz_status=$?
fi

# End with the runner's own summary, then a plain count.
summary=$(grep -E 'Executed [0-9]+ tests?, with ' "$log" | tail -n 1 || true)
rm -f "$log"
if [[ -z $summary ]]; then
  echo "test.sh: swift test printed no summary (exit status $status)" >&2
  exit $((status == 0 ? 1 : status))
fi
if ((fuzz_status != 0)); then
  echo "test.sh: the fuzz run failed (exit status $fuzz_status): see its report above" >&2
  ((status != 0)) || status=1
fi
executed=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")
failed=$(sed -E 's/.* ([0-9]+) failures?.*/\1/' <<<"$summary")
skipped=0
if [[ $summary =~ ([0-9]+)\ tests?\ skipped ]]; then skipped=${BASH_REMATCH[1]}; fi
echo
echo "$summary"
echo "$((executed - failed - skipped)) passed, $failed failed, $skipped skipped"
exit "$status"
