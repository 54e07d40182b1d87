#!/usr/bin/env bash
# Measures smtp-doctor side by side with peers, in one run, and prints ratios.
# Needs the test lab (started here if it is not up, and stopped again after).
#   Scripts/bench.sh [RUNS]     (default 3 runs of each measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}

if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi
Scripts/deps.sh >/dev/null
swift build -c release --product smtp-doctor >/dev/null
BIN=$PWD/.build/release/smtp-doctor

started_lab=0
if ! Scripts/lab.sh status >/dev/null 2>&1; then
  Scripts/lab.sh up >/dev/null
  started_lab=1
fi
cleanup() { if ((started_lab)); then Scripts/lab.sh down >/dev/null || true; fi; }
trap cleanup EXIT

# shellcheck source=Scripts/lab.env
source Scripts/lab.env

python3 - "$BIN" "$RUNS" <<'PY'
import os, resource, subprocess, sys, time

binary, runs = sys.argv[1], int(sys.argv[2])
env = dict(os.environ)
dns = env["LAB_DNS"]
deadline = 2.0

def measure(argv):
    """Wall time (median of runs) and peak RSS (KiB, max of runs) of a command."""
    times, peaks = [], []
    for _ in range(runs):
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1); os.dup2(devnull, 2)
            os.execvp(argv[0], argv)
        _, status, usage = os.wait4(pid, 0)
        times.append(time.monotonic() - start)
        peaks.append(usage.ru_maxrss)
    times.sort()
    return times[len(times) // 2], max(peaks)

print(f"machine: {os.uname().machine}, {os.cpu_count()} cores, kernel {os.uname().release}; {runs} runs each, median wall time")
print()

# 1. A filtered-port diagnosis costs about one connect deadline, not one per port.
dark = env["LAB_DARK_NAME"]
t_doctor, rss_doctor = measure([binary, "check", "--host", dark, "--port", "25", "--timeout", str(deadline), "--dns-server", dns])
ports = ["25", "465", "587", "2525", "443"]
# The peer: probing the same five ports one after another with netcat, same deadline.
t_nc, _ = measure(["sh", "-c", " ; ".join(f"nc -z -w {int(deadline)} {env['LAB_DARK4']} {p}" for p in ports)])
print(f"filtered host, 5 ports + lookups, deadline {deadline:.0f} s")
print(f"  smtp-doctor check: {t_doctor:6.2f} s  = {t_doctor / deadline:4.2f} x one deadline   (peak RSS {rss_doctor / 1024:.1f} MiB)")
print(f"  nc -z, port by port: {t_nc:6.2f} s  = {t_nc / deadline:4.2f} x one deadline")
print(f"  ratio smtp-doctor / sequential nc: {t_doctor / t_nc:4.2f}")
print()

# 2. Timeout verdicts cost about one stage deadline: the port scan, the SMTP
#    session and its opposite-TLS twin all start together once the name resolves.
ca = env["LAB_CA"]
for label, host, extra in [("silent server (banner-timeout)", "silent.lab.test", []),
                           ("implicit-TLS port spoken to in plain text", env["LAB_MAIL_NAME"], ["--port", "465", "--tls", "starttls"]),
                           ("STARTTLS handshake stalls", "tlsstall.lab.test", [])]:
    t, _ = measure([binary, "check", "--symptom", "timeout", "--host", host, "--timeout", str(deadline),
                    "--dns-server", dns, "--ca-file", ca] + extra)
    print(f"{label}: {t:5.2f} s = {t / deadline:4.2f} x one deadline ({deadline:.0f} s)")
print()

# 3. A healthy target end to end (lookups + scan of 6 ports on 2 addresses).
t_ok, rss_ok = measure([binary, "check", "--host", env["LAB_MAIL_NAME"], "--dns-server", dns, "--ca-file", ca])
print(f"healthy dual-stack target (DNS, 12 connects, SMTP + STARTTLS + its twin): {t_ok * 1000:6.1f} ms, peak RSS {rss_ok / 1024:.1f} MiB")
t_swaks, rss_swaks = measure(["swaks", "--server", env["LAB_MAIL4"] + ":587", "--tls", "--quit-after", "EHLO", "--tls-verify",
                              "--tls-ca-path", ca, "--tls-sni", env["LAB_MAIL_NAME"]])
print(f"swaks, one STARTTLS session to the same server: {t_swaks * 1000:6.1f} ms, peak RSS {rss_swaks / 1024:.1f} MiB")
print(f"  ratio smtp-doctor full check / swaks single session: time {t_ok / t_swaks:4.2f}, memory {rss_ok / rss_swaks:4.2f}")

# 4. Start-up time and peak RSS of --help.
t_help, rss_help = measure([binary, "--help"])
print(f"smtp-doctor --help: {t_help * 1000:6.1f} ms, peak RSS {rss_help / 1024:.1f} MiB")
PY
