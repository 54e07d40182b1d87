#!/usr/bin/env python3
"""The wizard on a terminal, measured side by side with `dialog` (Scripts/bench.sh
runs this): time to first frame, the time from the form to the verdict, idle CPU over 10 s on the verdict screen,
bytes written to the terminal per second while a probe spins, and peak memory.
Everything runs in a private tmux server at 80x24; the probes only ever reach
127.0.0.1 (a closed port, and a listener that never answers).

  bench-tui.py BINARY
"""
import os, socket, subprocess, sys, tempfile, time

binary = sys.argv[1]
SOCK = f"sd-bench-{os.getpid()}-0"
SESSIONS = [0]
CONFIG = tempfile.mkdtemp(prefix="smtp-doctor-bench-")


def tmux(*args, check=True):
    return subprocess.run(["tmux", "-L", SOCK, "-f", "/dev/null", *args], capture_output=True, text=True, check=check).stdout


def screen():
    return tmux("capture-pane", "-p", "-t", "0", check=False)


def start(command):
    # A fresh tmux server each time: a server being killed may still hold the old socket.
    global SOCK
    SESSIONS[0] += 1
    SOCK = f"sd-bench-{os.getpid()}-{SESSIONS[0]}"
    # The wizard keeps recent targets under XDG_CONFIG_HOME: a directory of its own, not the user's.
    env = f"env -u NO_COLOR LANG=C.UTF-8 TERM=xterm-256color XDG_CONFIG_HOME={CONFIG}"
    tmux("new-session", "-d", "-x", "80", "-y", "24", f"{env} {command}; sleep 600")


def wait_for(text, limit=20.0):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if text in screen():
            return time.monotonic()
        time.sleep(0.002)
    raise SystemExit(f"bench-tui: screen never showed {text!r}:\n{screen()}")


def pane_pid():
    """The program's pid: the pane's shell runs it as its only child."""
    shell = int(tmux("display-message", "-p", "-t", "0", "#{pane_pid}").strip())
    for _ in range(200):
        children = subprocess.run(["pgrep", "-P", str(shell)], capture_output=True, text=True).stdout.split()
        for pid in children:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() != "sleep":
                    return int(pid)
        time.sleep(0.01)
    raise SystemExit("bench-tui: program not found in the pane")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def bytes_written(seconds):
    out = tempfile.mktemp(prefix="sd-bench-pane-")
    tmux("pipe-pane", "-t", "0", "-o", f"cat >> {out}")
    time.sleep(seconds)
    tmux("pipe-pane", "-t", "0")
    time.sleep(0.2)
    size = os.path.getsize(out) if os.path.exists(out) else 0
    if os.path.exists(out):
        os.unlink(out)
    return size


def idle_cpu(pid, seconds=10.0):
    before = cpu_seconds(pid)
    time.sleep(seconds)
    return (cpu_seconds(pid) - before) / seconds * 100


def stop():
    tmux("kill-server", check=False)


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


results = {}
try:
    # smtp-doctor: first frame, verdict, idle, peak memory.
    t0 = time.monotonic()
    target = ["--host", "127.0.0.1", "--port", str(closed_port()), "--control-port", str(closed_port()), "--timeout", "2"]
    start(" ".join([binary] + target))
    first = wait_for("What is happening with your email?") - t0
    pid = pane_pid()
    tmux("send-keys", "-t", "0", "Enter")
    wait_for("Which server does your mail program use?")
    t1 = time.monotonic()
    tmux("send-keys", "-t", "0", "Enter")
    to_verdict = wait_for("PROBLEM: port-closed") - t1
    time.sleep(1.5)  # let abandoned probes and the last frame settle
    cpu = idle_cpu(pid)
    idle_bytes = bytes_written(3)
    rss = peak_rss_kib(pid)
    stop()
    results["doctor"] = (first, cpu, idle_bytes / 3, rss)

    # smtp-doctor while a probe spins: a listener that accepts and never greets.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    port = silent.getsockname()[1]
    start(f"{binary} --symptom timeout --host 127.0.0.1 --port {port} --control-port {closed_port()} --timeout 20")
    wait_for("What is happening with your email?")
    tmux("send-keys", "-t", "0", "3")
    wait_for("Which server does your mail program use?")
    tmux("send-keys", "-t", "0", "Enter")
    wait_for("testing")
    spinning = bytes_written(5) / 5
    stop()
    silent.close()

    # The same diagnosis without the screen, start-up included.
    t2 = time.monotonic()
    subprocess.run([binary, "check"] + target, capture_output=True)
    check_time = time.monotonic() - t2

    # dialog showing the equivalent menu.
    items = " ".join(f"{i} '{t}'" for i, t in enumerate([
        "Connection refused or cannot connect", "Authentication fails", "Connection times out or hangs",
        "Mail goes to spam or is not delivered", "Explain an error message or bounce"], 1))
    t0 = time.monotonic()
    start(f"dialog --title smtp-doctor --menu 'What is happening with your email?' 15 60 5 {items}")
    dialog_first = wait_for("Explain an error message") - t0
    dpid = pane_pid()
    time.sleep(1)
    dialog_cpu = idle_cpu(dpid)
    dialog_idle_bytes = bytes_written(3)
    dialog_rss = peak_rss_kib(dpid)
    stop()
finally:
    stop()
    subprocess.run(["rm", "-rf", CONFIG])

first, cpu, idle_rate, rss = results["doctor"]
print("the wizard in tmux at 80x24 (goals: idle under 0.5% of a core, under 2 KB/s while spinning):")
print(f"  time to first frame: smtp-doctor {first * 1000:6.1f} ms, dialog {dialog_first * 1000:6.1f} ms"
      f"  (ratio {first / dialog_first:4.2f})")
print(f"  form submitted to the verdict on screen (closed port): {to_verdict * 1000:6.1f} ms;"
      f" `smtp-doctor check` of the same target, start-up included: {check_time * 1000:6.1f} ms")
print(f"  idle CPU over 10 s on the verdict screen: {cpu:5.2f}% of a core (dialog's menu: {dialog_cpu:5.2f}%)")
print(f"  bytes to the terminal while idle: {idle_rate:6.1f} B/s (dialog: {dialog_idle_bytes / 3:6.1f} B/s)")
print(f"  bytes to the terminal while a probe spins: {spinning:6.1f} B/s")
print(f"  peak memory: smtp-doctor {rss / 1024:5.1f} MiB, dialog {dialog_rss / 1024:5.1f} MiB (ratio {rss / max(dialog_rss, 1):4.2f})")
