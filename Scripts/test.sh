#!/usr/bin/env bash
# Run every test: installs what the tests need, brings the test lab up (real
# DNS server, real Postfix, network namespaces), runs `swift test` (unit,
# conformance, end-to-end and tmux terminal tests), and brings the lab down
# again whatever happens.
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

echo "== test lab up"
Scripts/lab.sh up

echo "== swift test"
SMTP_DOCTOR_LAB=1 swift test --skip-build 2>&1 | tee /tmp/smtp-doctor-test.log
status=${PIPESTATUS[0]}
exit "$status"
