#!/usr/bin/env python3
"""smtp-doctor lab: scripted SMTP faults that no real MTA can be made to show.

Started by Scripts/lab.sh inside the lab's network namespace; standard library
only. Addresses, ports and names come from the environment (Scripts/lab.env,
which lab.sh has exported):

  LAB_SILENT4    25 465 587 2525  accepts, never sends a byte
  LAB_SLOW4      25 587           220 after LAB_SLOW_GREETING_SECONDS, then SMTP
  LAB_BUSY4      25 587           421 at once, then closes
  LAB_REFUSE4    25 587           554 greeting, 503 to every command, 221 to QUIT
  LAB_TLSSTALL4  25 587           SMTP with STARTTLS; after "220 Ready" never a TLS byte
  LAB_INJECT4    587              SMTP with STARTTLS; "220 Ready" + "250 injected" in one write
  LAB_HOSTILE4   LAB_HOSTILE_*    one misbehaviour per port (see HOSTILE below)

"SMTP" is a minimal server: EHLO (multi-line 250), HELO, NOOP, RSET, QUIT;
anything else gets 502. Every connection is bounded: lines of at most
MAX_LINE bytes, at most LAB_FAULT_MAX_SECONDS of life, at most MAX_CONNS at
once. A client that closes ends its connection here too.

Usage: faults.py --pidfile FILE    (writes FILE once every listener is bound;
logs one line per connection to stdout)
"""

import argparse
import asyncio
import contextlib
import os
import sys
import time

MAX_LINE = 4096         # longest command line read (bytes, CR LF included)
MAX_CONNS = 256         # connections at once; more are closed at once
CRLF = b"\r\n"


def env(name):
    value = os.environ.get(name)
    if not value:
        sys.exit(f"faults.py: {name} is not set (source Scripts/lab.env first)")
    return value


LIFETIME = float(env("LAB_FAULT_MAX_SECONDS"))


def log(msg):
    print(f"{time.strftime('%H:%M:%S')} {msg}", flush=True)


class Conn:
    """One client connection with bounded reads."""

    def __init__(self, reader, writer, name):
        self.reader, self.writer, self.name = reader, writer, name

    async def send(self, data):
        self.writer.write(data)
        await self.writer.drain()

    async def line(self):
        """The next line (with its LF), or None at EOF or on a line too long."""
        try:
            return await self.reader.readuntil(b"\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            return None

    async def drain_input(self):
        """Read and ignore everything until the client closes."""
        while await self.reader.read(MAX_LINE):
            pass

    async def until_closed(self, job):
        """Run job() until it ends or the client closes, whichever is first."""
        watch = asyncio.ensure_future(self.drain_input())
        work = asyncio.ensure_future(job())
        try:
            await asyncio.wait({watch, work}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (watch, work):
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task


def reply(*lines):
    """A (multi-line) reply: reply(b"250", b"a", b"b") -> 250-a, 250 b."""
    code, texts = lines[0], lines[1:]
    out = [code + b"-" + t + CRLF for t in texts[:-1]]
    out.append(code + b" " + texts[-1] + CRLF)
    return b"".join(out)


def ehlo_lines(name, starttls=False):
    caps = [name, b"PIPELINING", b"SIZE 10240000"]
    if starttls:
        caps.append(b"STARTTLS")
    return caps + [b"8BITMIME"]


async def smtp(c, ehlo, on_starttls=None):
    """The minimal SMTP server after the greeting. ehlo: the 250 lines."""
    while True:
        line = await c.line()
        if line is None:
            return
        verb = line.strip().split(b" ", 1)[0].upper()
        if verb == b"EHLO":
            await c.send(reply(b"250", *ehlo))
        elif verb == b"HELO":
            await c.send(reply(b"250", ehlo[0]))
        elif verb in (b"NOOP", b"RSET"):
            await c.send(b"250 2.0.0 Ok\r\n")
        elif verb == b"QUIT":
            await c.send(b"221 2.0.0 Bye\r\n")
            return
        elif verb == b"STARTTLS" and on_starttls:
            await on_starttls(c)
            return
        else:
            await c.send(b"502 5.5.2 Error: command not recognized\r\n")


async def greet_and_serve(c, starttls=False, on_starttls=None):
    await c.send(b"220 " + c.name + b" ESMTP ready\r\n")
    await smtp(c, ehlo_lines(c.name, starttls), on_starttls)


# ------------------------------------------------------------- the behaviours

async def silent(c):
    await c.drain_input()


async def slow(c):
    await asyncio.sleep(float(env("LAB_SLOW_GREETING_SECONDS")))
    await greet_and_serve(c)


async def busy(c):
    await c.send(b"421 4.3.2 " + c.name + b" Service not available, too many connections\r\n")


async def refuse(c):
    await c.send(b"554 5.7.1 " + c.name + b" Access denied: your address is not welcome here\r\n")
    while (line := await c.line()) is not None:
        if line.strip().upper() == b"QUIT":
            await c.send(b"221 2.0.0 Bye\r\n")
            return
        await c.send(b"503 5.5.1 Error: access denied\r\n")


async def stall_after_starttls(c):
    await c.send(b"220 2.0.0 Ready to start TLS\r\n")
    await c.drain_input()           # whatever comes (a ClientHello): ignored


async def inject_after_starttls(c):
    # One write: the plaintext 250 travels with the 220 (STARTTLS injection).
    await c.send(b"220 2.0.0 Ready to start TLS\r\n250 2.0.0 injected\r\n")
    await c.drain_input()


async def tlsstall(c):
    await greet_and_serve(c, starttls=True, on_starttls=stall_after_starttls)


async def inject(c):
    await greet_and_serve(c, starttls=True, on_starttls=inject_after_starttls)


async def longline(c):
    await c.send(b"A" * (1 << 20))
    await c.drain_input()


async def endless(c):
    async def lines():
        n = 0
        while True:
            await c.send(b"".join(b"220-line %d\r\n" % i for i in range(n, n + 256)))
            n += 256
            await asyncio.sleep(0.005)      # fast (~0.8 MB/s), not a busy loop
    await c.until_closed(lines)


async def drip(c):
    for byte in b"220 hostile ESMTP\r\n":
        await c.send(bytes([byte]))
        await asyncio.sleep(1)
    await smtp(c, ehlo_lines(c.name))


async def binary(c):
    await c.send(os.urandom(64 * 1024))
    await c.drain_input()


async def control(c):
    await c.send(b"220 evil\x00\x1b[2J\x1b]0;pwned\x07 ESMTP\r\n")
    await smtp(c, [b"evil\x00\x1b[31m", b"PIPELINING\x1b[2J\x1b[H", b"SIZE 10240000",
                   b"X-\x1b]0;pwned\x07\x00", b"8BITMIME"])


async def codeflip(c):
    await c.send(b"220-first\r\n230-second\r\n220 end\r\n")
    await smtp(c, ehlo_lines(c.name))


async def wrongcode(c):
    await c.send(b"250 hello\r\n")
    await smtp(c, ehlo_lines(c.name))


async def manycaps(c):
    await c.send(b"220 " + c.name + b" ESMTP\r\n")
    caps = [b"X-LAB-CAPABILITY-%05d" % i for i in range(1, 9998)]
    # name + PIPELINING + SIZE + 9,997 + 8BITMIME: 10,000 capabilities after the name
    await smtp(c, [c.name, b"PIPELINING", b"SIZE 10240000"] + caps + [b"8BITMIME"])


async def hangup(c):
    await c.send(b"220 x ESMTP\r\n")
    await c.line()


HOSTILE = {                 # lab.env port constant -> behaviour on LAB_HOSTILE4
    "LAB_HOSTILE_LONGLINE": longline,
    "LAB_HOSTILE_ENDLESS": endless,
    "LAB_HOSTILE_DRIP": drip,
    "LAB_HOSTILE_BINARY": binary,
    "LAB_HOSTILE_CONTROL": control,
    "LAB_HOSTILE_CODEFLIP": codeflip,
    "LAB_HOSTILE_WRONGCODE": wrongcode,
    "LAB_HOSTILE_MANYCAPS": manycaps,
    "LAB_HOSTILE_HANGUP": hangup,
}


def listeners():
    """(address, port, DNS name, behaviour) for every listener."""
    smtp_ports = [env("LAB_PORT_SMTP"), env("LAB_PORT_SUBMISSION")]
    hosts = [
        ("SILENT", silent, smtp_ports + [env("LAB_PORT_SUBMISSIONS"), env("LAB_PORT_ALT")]),
        ("SLOW", slow, smtp_ports),
        ("BUSY", busy, smtp_ports),
        ("REFUSE", refuse, smtp_ports),
        ("TLSSTALL", tlsstall, smtp_ports),
        ("INJECT", inject, [env("LAB_PORT_SUBMISSION")]),
    ]
    out = []
    for key, fn, ports in hosts:
        for port in ports:
            out.append((env(f"LAB_{key}4"), int(port), env(f"LAB_{key}_NAME"), fn))
    for key, fn in HOSTILE.items():
        out.append((env("LAB_HOSTILE4"), int(env(key)), env("LAB_HOSTILE_NAME"), fn))
    return out


active = 0


def handler(addr, port, name, fn):
    label = f"{name}:{port} {fn.__name__}"

    async def handle(reader, writer):
        global active
        peer = writer.get_extra_info("peername")
        if active >= MAX_CONNS:
            log(f"{label}: refused {peer[0]}:{peer[1]} ({active} connections open)")
            writer.transport.abort()
            return
        active += 1
        t0 = time.monotonic()
        end = "closed"
        try:
            await asyncio.wait_for(fn(Conn(reader, writer, name.encode())), LIFETIME)
        except asyncio.TimeoutError:
            end = "cut (lifetime limit)"
        except (ConnectionError, OSError) as e:
            end = f"client gone ({e.__class__.__name__})"
        finally:
            active -= 1
            if end == "closed":
                writer.close()              # flushes the last reply (221, 421...)
            else:
                writer.transport.abort()    # drops whatever the client never read
            log(f"{label}: {peer[0]}:{peer[1]} {end} after {time.monotonic() - t0:.1f} s")

    return handle


async def main(pidfile):
    servers = []
    for addr, port, name, fn in listeners():
        servers.append(await asyncio.start_server(handler(addr, port, name, fn), addr, port,
                                                  limit=MAX_LINE, reuse_address=True))
        log(f"listening {addr}:{port} {name} {fn.__name__}")
    tmp = pidfile + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{os.getpid()}\n")
    os.replace(tmp, pidfile)            # lab.sh waits for this file: all listeners are bound
    await asyncio.Event().wait()        # until SIGTERM (default action: exit)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pidfile", required=True)
    asyncio.run(main(ap.parse_args().pidfile))
