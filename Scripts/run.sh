#!/usr/bin/env bash
# Build smtp-doctor (release) and start it, installing what is missing first.
#   Scripts/run.sh                 the wizard
#   Scripts/run.sh check --host H  any smtp-doctor command line
set -euo pipefail
cd "$(dirname "$0")/.."

Scripts/deps.sh build >&2

if ! command -v swift >/dev/null 2>&1; then
  if [[ -x /opt/swift/usr/bin/swift ]]; then
    export PATH="/opt/swift/usr/bin:$PATH"
  else
    echo "run: the Swift toolchain (6.0 or newer) is needed: https://www.swift.org/install/linux/" >&2
    exit 70
  fi
fi

if ! swift build -c release --static-swift-stdlib --product smtp-doctor >/tmp/smtp-doctor-build.log 2>&1; then
  tail -n 40 /tmp/smtp-doctor-build.log >&2
  echo "run: the build failed (full log: /tmp/smtp-doctor-build.log)" >&2
  exit 70
fi
exec .build/release/smtp-doctor "$@"
