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
# The peers of the spam check (PyPI): checkdmarc, and pyspf with dnspython.
python3 -m pip install --quiet --disable-pip-version-check checkdmarc pyspf dnspython 2>/dev/null \
  || echo "bench: could not install checkdmarc/pyspf from PyPI; their rows will fail" >&2
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

# 5. The spam family: SPF + DMARC + MX (+ DKIM, reverse DNS, one blocklist) of a
#    lab domain, side by side with checkdmarc and pyspf (PyPI) asking the same
#    knot server (on port 53 of the lab's root address, which the peers need).
ns = env["LAB_ROOT4"]
domain, sending = env["LAB_SPAM_HEALTHY"], env["LAB_SEND_GOOD4"]
t_spam, rss_spam = measure([binary, "check", "--symptom", "spam", "--domain", domain, "--sending-ip", sending,
                            "--dkim-selector", env["LAB_DKIM_SELECTOR"], "--dnsbl", env["LAB_DNSBL_ZONE"], "--dns-server", ns])
t_cd, rss_cd = measure(["checkdmarc", domain, "--nameserver", ns])
pyspf = ("import sys, dns.resolver, spf\n"
         "r = dns.resolver.Resolver(configure=False); r.nameservers = [sys.argv[1]]; dns.resolver.default_resolver = r\n"
         "print(spf.check2(i=sys.argv[2], s='postmaster@' + sys.argv[3], h=sys.argv[3]))")
t_ps, rss_ps = measure(["python3", "-c", pyspf, ns, sending, domain])
print(f"spam check of {domain} from {sending} (SPF tree + check_host, DKIM s1, DMARC, MX, PTR, 1 blocklist):")
print(f"  smtp-doctor check --symptom spam: {t_spam * 1000:6.1f} ms, peak RSS {rss_spam / 1024:.1f} MiB")
print(f"  checkdmarc (SPF, DMARC, MX, NS, BIMI..., no TLS test): {t_cd * 1000:6.1f} ms, peak RSS {rss_cd / 1024:.1f} MiB"
      f"   ratio smtp-doctor/checkdmarc: time {t_spam / t_cd:4.2f}, memory {rss_spam / rss_cd:4.2f}")
print(f"  pyspf check2 (SPF only): {t_ps * 1000:6.1f} ms, peak RSS {rss_ps / 1024:.1f} MiB"
      f"   ratio smtp-doctor/pyspf: time {t_spam / t_ps:4.2f}, memory {rss_spam / rss_ps:4.2f}")
print()

# 6. 40 blocklists cost about one lookup, not forty: every zone (and its two
#    RFC 5782 test points) asked at once, through a UDP proxy that delays each
#    datagram 50 ms each way (this kernel has no netem), so one lookup = 100 ms.
import asyncio, socket, threading

def delaying_udp_proxy(listen_port, upstream, delay):
    """Forwards datagrams to `upstream` and back, each after `delay` seconds."""
    async def main():
        loop = asyncio.get_running_loop()
        clients = {}
        class Up(asyncio.DatagramProtocol):
            def __init__(self, client, front): self.client, self.front = client, front
            def datagram_received(self, data, _):
                loop.call_later(delay, self.front.sendto, data, self.client)
        class Front(asyncio.DatagramProtocol):
            def connection_made(self, transport): self.transport = transport
            def datagram_received(self, data, client):
                async def forward():
                    if client not in clients:
                        clients[client], _ = await loop.create_datagram_endpoint(
                            lambda: Up(client, self.transport), remote_addr=upstream)
                    clients[client].sendto(data)
                loop.call_later(delay, lambda: asyncio.ensure_future(forward()))
        await loop.create_datagram_endpoint(Front, local_addr=("127.0.0.1", listen_port))
        await asyncio.Event().wait()
    threading.Thread(target=lambda: asyncio.run(main()), daemon=True).start()
    time.sleep(0.3)

host, port = dns.rsplit(":", 1)
delay_port = 5399
delaying_udp_proxy(delay_port, (host, int(port)), 0.05)
slow_dns = f"127.0.0.1:{delay_port}"
count = int(env["LAB_BENCH_DNSBL_COUNT"])
zones = [f"bl{n:02d}.bench.{env['LAB_DOMAIN']}" for n in range(1, count + 1)]
def dnsbl_run(zs):
    argv = [binary, "check", "--symptom", "spam", "--domain", domain, "--sending-ip", sending, "--dns-server", slow_dns,
            "--dkim-selector", env["LAB_DKIM_SELECTOR"]]
    for z in zs: argv += ["--dnsbl", z]
    return measure(argv)
t_one, _ = dnsbl_run(zones[:1])
t_forty, rss_forty = dnsbl_run(zones)
print(f"blocklists through a 50 ms-each-way DNS proxy (one lookup = 100 ms), whole spam check:")
print(f"  1 list: {t_one * 1000:6.0f} ms;  {count} lists: {t_forty * 1000:6.0f} ms (peak RSS {rss_forty / 1024:.1f} MiB)")
print(f"  ratio {count} lists / 1 list: {t_forty / t_one:4.2f}  (asked one after another, {count} lists would add {count - 1} x 100 ms or more)")
print()

# 4. Start-up time and peak RSS of --help.
t_help, rss_help = measure([binary, "--help"])
print(f"smtp-doctor --help: {t_help * 1000:6.1f} ms, peak RSS {rss_help / 1024:.1f} MiB")
PY
