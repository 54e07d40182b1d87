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
# The Swift runtime and Foundation linked in, as Scripts/run.sh builds it (start-up 8 ms instead of 13).
swift build -c release --static-swift-stdlib --product smtp-doctor >/dev/null
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

def measure(argv, ok=None):
    """Wall time (median of runs) and peak RSS (KiB, max of runs) of a command;
    ok: the exit statuses that mean it did the work (a warning otherwise).
    The peak comes from GNU time, the command's parent: a child forked from
    this script would start with the script's own high-water mark, which
    Linux keeps across exec."""
    times, peaks = [], []
    report = f"/tmp/smtp-doctor-bench-{os.getpid()}.rss"
    for _ in range(runs):
        start = time.monotonic()
        status = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report] + argv,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        times.append(time.monotonic() - start)
        if ok is not None and status not in ok:
            print(f"  WARNING: {os.path.basename(argv[0])} exited {status}, not {sorted(ok)}: its row is not the work it names")
        with open(report) as f:
            peaks.append(int(f.read().split()[-1]))
    os.unlink(report)
    times.sort()
    return times[len(times) // 2], max(peaks)

def private_peak(argv):
    """Peak private memory (KiB) of one run: RssAnon (heap, stacks, the
    interpreter's compiled code) read from /proc/PID/status every 0.5 ms.
    Peak RSS also counts the pages of the program file and of the shared
    libraries it maps, which every process using them shares. (Popen returns
    once the command is exec'd, so no sample is of this script's copy.)"""
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while True:
        try:
            with open(f"/proc/{child.pid}/status") as f:
                for line in f:
                    if line.startswith("RssAnon:"):
                        peak = max(peak, int(line.split()[1]))
        except OSError:
            pass
        if child.poll() is not None:
            return peak
        time.sleep(0.0005)

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
print()

# 3b. One SMTP session with STARTTLS and AUTH PLAIN to the lab Postfix (587),
#     certificate verified against the lab CA, quitting after AUTH: smtp-doctor's
#     auth check (which also resolves the name, scans the ports and tries the
#     opposite TLS mode alongside) and swaks doing the session alone.
os.environ["SMTP_DOCTOR_BENCH_PASSWORD"] = env["LAB_PASSWORD"]       # the children's environment
auth_argv = [binary, "check", "--symptom", "auth", "--host", env["LAB_MAIL_NAME"], "--port", "587",
             "--tls", "starttls", "--user", env["LAB_USER"], "--password-env", "SMTP_DOCTOR_BENCH_PASSWORD",
             "--dns-server", dns, "--ca-file", ca]
swaks_auth_argv = ["swaks", "--server", env["LAB_MAIL4"] + ":587", "--tls", "--tls-verify", "--tls-ca-path", ca,
                   "--tls-sni", env["LAB_MAIL_NAME"], "--auth", "PLAIN", "--auth-user", env["LAB_USER"],
                   "--auth-password", env["LAB_PASSWORD"], "--quit-after", "AUTH"]
t_auth, rss_auth = measure(auth_argv, ok={0})
t_sw_auth, rss_sw_auth = measure(swaks_auth_argv, ok={0})
print("STARTTLS + AUTH PLAIN session to the lab Postfix (587), quit after AUTH:")
print(f"  smtp-doctor check --symptom auth: {t_auth * 1000:6.1f} ms, peak RSS {rss_auth / 1024:.1f} MiB"
      "  (also DNS, a 12-port scan and the opposite-TLS twin)")
print(f"  swaks --tls --auth PLAIN --quit-after AUTH: {t_sw_auth * 1000:6.1f} ms, peak RSS {rss_sw_auth / 1024:.1f} MiB")
print(f"  ratio smtp-doctor / swaks: time {t_auth / t_sw_auth:4.2f}, memory {rss_auth / rss_sw_auth:4.2f}")
anon_auth = private_peak(auth_argv)
anon_sw_auth = private_peak(swaks_auth_argv)
print(f"  private memory (RssAnon, sampled): smtp-doctor {anon_auth / 1024:.1f} MiB, swaks {anon_sw_auth / 1024:.1f} MiB,"
      f" ratio {anon_auth / anon_sw_auth:4.2f}; the rest of peak RSS is mapped program and library files")
print()

# 5. The spam family: SPF + DMARC + MX (+ DKIM, reverse DNS, one blocklist) of a
#    lab domain, side by side with checkdmarc and pyspf (PyPI) asking the same
#    knot server (on port 53 of the lab's root address, which the peers need).
ns = env["LAB_ROOT4"]
domain, sending = env["LAB_SPAM_HEALTHY"], env["LAB_SEND_GOOD4"]
spam_argv = [binary, "check", "--symptom", "spam", "--domain", domain, "--sending-ip", sending,
             "--dkim-selector", env["LAB_DKIM_SELECTOR"], "--dnsbl", env["LAB_DNSBL_ZONE"], "--dns-server", ns]
checkdmarc_argv = ["checkdmarc", domain, "--nameserver", ns]
t_spam, rss_spam = measure(spam_argv)
t_cd, rss_cd = measure(checkdmarc_argv)
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
anon_spam, anon_cd = private_peak(spam_argv), private_peak(checkdmarc_argv)
print(f"  private memory (RssAnon, sampled): smtp-doctor {anon_spam / 1024:.1f} MiB, checkdmarc {anon_cd / 1024:.1f} MiB,"
      f" ratio {anon_spam / anon_cd:4.2f}")
print()

# 6. 40 blocklists cost about one lookup, not forty: every zone (and its two
#    RFC 5782 test points) asked at once, through a UDP proxy that delays each
#    datagram 50 ms each way (this kernel has no netem), so one lookup = 100 ms.
import asyncio, socket, threading

def rewrite_a(message, old, new):
    """A DNS response with every A record holding address `old` changed to `new` (4 bytes each)."""
    data = bytearray(message)
    i = data.find(b"\x00\x01\x00\x01", 12)
    while i >= 0:
        # TYPE A, CLASS IN, TTL (4), RDLENGTH 4, RDATA
        rd = i + 8
        if data[rd:rd + 2] == b"\x00\x04" and data[rd + 2:rd + 6] == old:
            data[rd + 2:rd + 6] = new
        i = data.find(b"\x00\x01\x00\x01", i + 1)
    return bytes(data)

def delaying_udp_proxy(listen_port, upstream, delay, rewrite=None):
    """Forwards datagrams to `upstream` and back, each after `delay` seconds;
    rewrite=(old, new) changes A records of address old to new on the way back."""
    async def main():
        loop = asyncio.get_running_loop()
        clients = {}
        class Up(asyncio.DatagramProtocol):
            def __init__(self, client, front): self.client, self.front = client, front
            def datagram_received(self, data, _):
                if rewrite: data = rewrite_a(data, *rewrite)
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

# 7. A full "all" diagnosis of the lab mail server across a link with 50 ms
#    each way (RTT 100 ms), DNS and TCP alike. This kernel has no netem, so:
#    a UDP proxy in front of knot delays each datagram 50 ms and rewrites the
#    server's A record to 127.0.0.10, where a TCP proxy listens on every port
#    the tool tries and forwards to the server, holding each chunk 50 ms in
#    each direction. The TCP handshake itself ends at the proxy, so the proxy
#    opens its own connection 150 ms late: the first byte then arrives when it
#    would after a real handshake (SYN, SYN-ACK, ACK: 1.5 one-way trips).
#    The least the conversation needs, in round trips: DNS (A and AAAA at
#    once) 1, TCP handshake 1, greeting 1, EHLO 1, STARTTLS 1, TLS 1.3
#    handshake 1, EHLO again (RFC 3207) 1 = 7; QUIT's 221 would make it 8.
def delaying_tcp_proxy(listen_host, ports, upstream_host, delay):
    """Listens on listen_host:port for each port and forwards to upstream_host:port,
    holding every chunk `delay` seconds in each direction."""
    async def pump(reader, writer, ready):
        """Reads at once, stamping each chunk; writes it `delay` after it came,
        once `ready` (the upstream connection) is set; a close travels the same way."""
        loop = asyncio.get_running_loop()
        queue = asyncio.Queue()
        async def receive():
            while True:
                try:
                    data = await reader().read(65536)
                except (ConnectionError, OSError):
                    data = b""
                queue.put_nowait((loop.time() + delay, data))
                if not data:
                    return
        async def send():
            await ready.wait()
            while True:
                due, data = await queue.get()
                await asyncio.sleep(max(0, due - loop.time()))
                try:
                    if not data:
                        if writer().can_write_eof(): writer().write_eof()
                        return
                    writer().write(data)
                    await writer().drain()
                except (ConnectionError, OSError, KeyError):   # KeyError: no upstream connection
                    return
        await asyncio.gather(receive(), send())

    async def serve(port, client_reader, client_writer):
        up, ready = {}, asyncio.Event()
        async def connect():
            await asyncio.sleep(3 * delay)              # SYN, SYN-ACK, ACK: 1.5 round trips
            try:
                up["r"], up["w"] = await asyncio.open_connection(upstream_host, port)
                ready.set()
            except OSError:
                client_writer.transport.abort()
            ready.set()
        async def from_server():
            await ready.wait()
            if "r" in up:
                await pump(lambda: up["r"], lambda: client_writer, ready)
        try:
            await asyncio.gather(connect(), pump(lambda: client_reader, lambda: up["w"], ready), from_server())
        except Exception:
            pass
        finally:
            client_writer.transport.abort()
            if "w" in up: up["w"].transport.abort()

    async def main():
        for port in ports:
            await asyncio.start_server(lambda r, w, p=port: serve(p, r, w), listen_host, port, reuse_address=True)
        await asyncio.Event().wait()
    threading.Thread(target=lambda: asyncio.run(main()), daemon=True).start()
    time.sleep(0.3)

rtt = 0.1
proxy_host = "127.0.0.10"
rewrite = (socket.inet_aton(env["LAB_MAIL4"]), socket.inet_aton(proxy_host))
delaying_udp_proxy(5398, (host, int(port)), rtt / 2, rewrite=rewrite)
delaying_tcp_proxy(proxy_host, [25, 465, 587, 2525, 443], env["LAB_MAIL4"], rtt / 2)
t_all, rss_all = measure([binary, "check", "--symptom", "all", "--host", env["LAB_MAIL_NAME"], "-4",
                          "--dns-server", "127.0.0.1:5398", "--ca-file", ca], ok={0})
least = 7
print(f"full \"all\" diagnosis of {env['LAB_MAIL_NAME']} (587, STARTTLS) through 50 ms-each-way proxies (RTT {rtt * 1000:.0f} ms):")
print(f"  smtp-doctor check --symptom all -4: {t_all * 1000:6.0f} ms, peak RSS {rss_all / 1024:.1f} MiB")
print(f"  least round trips the conversation needs: {least} (DNS, TCP, greeting, EHLO, STARTTLS, TLS 1.3, EHLO) = {least * rtt * 1000:.0f} ms")
print(f"  ratio time / least round trips: {t_all / (least * rtt):4.2f}  ({t_all / rtt:4.1f} round trips spent)")
t_sw_far, _ = measure(["swaks", "--server", proxy_host + ":587", "--tls", "--quit-after", "EHLO", "--tls-verify",
                       "--tls-ca-path", ca, "--tls-sni", env["LAB_MAIL_NAME"]], ok={0})
print(f"  swaks, the same STARTTLS session by address (no DNS; 6 round trips + QUIT): {t_sw_far * 1000:6.0f} ms"
      f" = {t_sw_far / rtt:4.1f} round trips")
print()

# 4. Start-up time and peak RSS of --help.
t_help, rss_help = measure([binary, "--help"])
print(f"smtp-doctor --help: {t_help * 1000:6.1f} ms, peak RSS {rss_help / 1024:.1f} MiB,"
      f" private memory {private_peak([binary, '--help']) / 1024:.1f} MiB")
PY

# The wizard on a terminal beside dialog (Debian's package) showing the same
# menu: first frame, idle CPU on the verdict, bytes per second, memory.
echo
if ! command -v dialog >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dialog >/dev/null 2>&1 \
    || echo "bench: could not install dialog; its column will fail" >&2
fi
python3 Scripts/bench-tui.py "$BIN"
