#!/usr/bin/env python3
"""smtp-doctor lab: self-check of the fault hosts (Scripts/lab/faults.py).

Run by Scripts/lab.sh check from the root namespace with lab.env exported.
Prints one "ok   ..." or "FAIL ..." line per check (lab.sh's format); all
checks run at once and take about 1.5 s. Expectations are written out here
on purpose rather than shared with faults.py. Standard library only.
"""

import asyncio
import os
import re
import time

E = os.environ


async def connect(host, port):
    return await asyncio.wait_for(asyncio.open_connection(host, int(port), limit=1 << 21), 1)


async def read_for(reader, secs, want=1 << 21, until=None):
    """Read for up to secs seconds, or until want bytes, EOF, or until(data).
    Returns (data, eof)."""
    data, deadline = b"", time.monotonic() + secs
    while len(data) < want and not (until and until(data)):
        left = deadline - time.monotonic()
        if left <= 0:
            return data, False
        try:
            chunk = await asyncio.wait_for(reader.read(want - len(data)), left)
        except asyncio.TimeoutError:
            return data, False
        except ConnectionError:
            return data, True
        if not chunk:
            return data, True
        data += chunk
    return data, False


def reply_done(data):
    """True once data ends with the last line of an SMTP reply ("ddd " line)."""
    return re.search(rb"(^|\n)\d{3} [^\n]*\n$", data) is not None


async def command(reader, writer, line, secs=1.0):
    writer.write(line + b"\r\n")
    await writer.drain()
    data, _ = await read_for(reader, secs, until=reply_done)
    return data


def close(writer):
    writer.transport.abort()


def show(data, n=60):
    return repr(data[:n])[2:-1] + ("..." if len(data) > n else "")


# Each check: async function returning (ok, message).

async def sends_nothing(key, port, secs=1.0):
    host = E[f"LAB_{key}4"]
    r, w = await connect(host, port)
    data, eof = await read_for(r, secs)
    close(w)
    ok = not data and not eof
    return ok, f"{E[f'LAB_{key}_NAME']}:{port} open, nothing sent in {secs:g} s" + (
        "" if ok else f": got {show(data)!r} eof={eof}")


async def busy(port):
    r, w = await connect(E["LAB_BUSY4"], port)
    data, eof = await read_for(r, 1)
    close(w)
    ok = data.startswith(b"421 4.3.2 ") and data.endswith(b"\r\n") and data.count(b"\n") == 1 and eof
    return ok, f"busy:{port} 421 then close: {show(data)}"


async def refuse(port):
    r, w = await connect(E["LAB_REFUSE4"], port)
    greet, _ = await read_for(r, 1, until=reply_done)
    ehlo = await command(r, w, b"EHLO probe.lab.test")
    mail = await command(r, w, b"MAIL FROM:<a@lab.test>")
    quit_ = await command(r, w, b"QUIT")
    _, eof = await read_for(r, 1)
    close(w)
    ok = (greet.startswith(b"554 5.7.1 ") and ehlo == mail == b"503 5.5.1 Error: access denied\r\n"
          and quit_.startswith(b"221 ") and eof)
    return ok, f"refuse554:{port} 554, 503, 221, close: {show(greet)} / {show(ehlo)} / {show(quit_)} eof={eof}"


async def starttls_host(key, port, after):
    """Greeting, EHLO offers STARTTLS, STARTTLS reply; then after(reader) -> (ok, note)."""
    r, w = await connect(E[f"LAB_{key}4"], port)
    greet, _ = await read_for(r, 1, until=reply_done)
    ehlo = await command(r, w, b"EHLO probe.lab.test")
    w.write(b"STARTTLS\r\n")
    await w.drain()
    ok, note = await after(r)
    close(w)
    ok = ok and greet.startswith(b"220 ") and b"\r\n250-STARTTLS\r\n" in ehlo
    return ok, f"{E[f'LAB_{key}_NAME']}:{port} STARTTLS: {note}"


async def stalls(r):
    first, _ = await read_for(r, 1, until=lambda d: d.endswith(b"\n"))
    rest, eof = await read_for(r, 0.5)
    ok = first == b"220 2.0.0 Ready to start TLS\r\n" and not rest and not eof
    return ok, f"{show(first)}, then nothing in 0.5 s (got {show(rest)!r} eof={eof})"


async def injects(r):
    # The injected 250 must come in the same read as the 220 (one segment).
    first = await asyncio.wait_for(r.read(4096), 1)
    ok = first == b"220 2.0.0 Ready to start TLS\r\n250 2.0.0 injected\r\n"
    return ok, f"one read: {show(first, 80)}"


async def refused(host, port):
    try:
        _, w = await connect(host, port)
        close(w)
        return False, f"{host}:{port} refused: it accepted"
    except ConnectionRefusedError:
        return True, f"{host}:{port} refused"


async def hostile(key, job):
    port = E[key]
    r, w = await connect(E["LAB_HOSTILE4"], port)
    try:
        ok, note = await job(r, w)
    finally:
        close(w)
    return ok, f"hostile:{port} ({key[12:].lower()}) {note}"


async def longline(r, w):
    data, eof = await read_for(r, 2, want=1 << 20)
    more, _ = await read_for(r, 0.2)
    ok = len(data) == 1 << 20 and data.count(b"A") == len(data) and not more and not eof
    return ok, f"{len(data)} bytes, all 'A': {data.count(b'A') == len(data)}, then {len(more)} more"


async def endless(r, w):
    data, eof = await read_for(r, 1, want=64 * 1024)
    lines = data.split(b"\r\n")[:-1]
    ok = len(lines) > 1000 and all(l == b"220-line %d" % i for i, l in enumerate(lines)) and not eof
    return ok, f"{len(lines)} '220-line N' lines in the first {len(data)} bytes"


async def drip(r, w):
    data, eof = await read_for(r, 1.5)
    ok = 1 <= len(data) <= 3 and b"220 hostile ESMTP\r\n".startswith(data) and not eof
    return ok, f"{len(data)} bytes in 1.5 s: {show(data)}"


async def binary(r, w):
    data, eof = await read_for(r, 1, want=64 * 1024)
    ok = len(data) == 64 * 1024 and len(set(data)) > 200 and not eof
    return ok, f"{len(data)} bytes, {len(set(data))} distinct values"


async def control(r, w):
    greet, _ = await read_for(r, 1, until=reply_done)
    ehlo = await command(r, w, b"EHLO probe.lab.test")
    quit_ = await command(r, w, b"QUIT")
    ok = (greet.startswith(b"220 ") and b"\x00" in greet and b"\x1b[" in greet and b"\x1b]" in greet
          and ehlo.startswith(b"250-") and b"\x1b" in ehlo and quit_.startswith(b"221"))
    return ok, f"NUL/ANSI in greeting and EHLO: {show(greet)} / {show(ehlo, 30)}"


async def codeflip(r, w):
    greet, _ = await read_for(r, 1, until=lambda d: d.endswith(b"220 end\r\n"))
    noop = await command(r, w, b"NOOP")
    ok = greet == b"220-first\r\n230-second\r\n220 end\r\n" and noop.startswith(b"250 ")
    return ok, f"{show(greet)}, then NOOP: {show(noop)}"


async def wrongcode(r, w):
    greet, _ = await read_for(r, 1, until=reply_done)
    ehlo = await command(r, w, b"EHLO probe.lab.test")
    ok = greet == b"250 hello\r\n" and ehlo.startswith(b"250-") and ehlo.endswith(b"250 8BITMIME\r\n")
    return ok, f"greeting {show(greet)}, then EHLO {len(ehlo.splitlines())} lines"


async def manycaps(r, w):
    greet, _ = await read_for(r, 1, until=reply_done)
    ehlo = await command(r, w, b"EHLO probe.lab.test", secs=2)
    lines = ehlo.split(b"\r\n")[:-1]
    ok = (greet.startswith(b"220 ") and len(lines) == 10001 and all(l.startswith(b"250-") for l in lines[:-1])
          and lines[-1] == b"250 8BITMIME")
    return ok, f"EHLO reply of {len(lines)} lines ({len(ehlo)} bytes)"


async def hangup(r, w):
    greet, _ = await read_for(r, 1, until=reply_done)
    w.write(b"EHLO probe.lab.test\r\n")
    await w.drain()
    rest, eof = await read_for(r, 1)
    ok = greet == b"220 x ESMTP\r\n" and not rest and eof
    return ok, f"{show(greet)}, then EHLO: closed without reply ({show(rest)!r} eof={eof})"


def checks():
    """(label, coroutine) for every check."""
    smtp, sub = E["LAB_PORT_SMTP"], E["LAB_PORT_SUBMISSION"]
    out = [(f"silent:{p}", sends_nothing("SILENT", p))
           for p in (smtp, E["LAB_PORT_SUBMISSIONS"], sub, E["LAB_PORT_ALT"])]
    for p in (smtp, sub):
        out += [(f"slow:{p}", sends_nothing("SLOW", p)), (f"busy:{p}", busy(p)),
                (f"refuse554:{p}", refuse(p)), (f"tlsstall:{p}", starttls_host("TLSSTALL", p, stalls))]
    out += [(f"inject:{sub}", starttls_host("INJECT", sub, injects)),
            (f"inject:{smtp}", refused(E["LAB_INJECT4"], smtp))]
    out += [(f"hostile:{E[k]}", hostile(k, f)) for k, f in [
        ("LAB_HOSTILE_LONGLINE", longline), ("LAB_HOSTILE_ENDLESS", endless), ("LAB_HOSTILE_DRIP", drip),
        ("LAB_HOSTILE_BINARY", binary), ("LAB_HOSTILE_CONTROL", control), ("LAB_HOSTILE_CODEFLIP", codeflip),
        ("LAB_HOSTILE_WRONGCODE", wrongcode), ("LAB_HOSTILE_MANYCAPS", manycaps),
        ("LAB_HOSTILE_HANGUP", hangup)]]
    return out


async def main():
    labels, jobs = zip(*checks())
    results = await asyncio.gather(*jobs, return_exceptions=True)
    for label, res in zip(labels, results):
        if isinstance(res, BaseException):
            print(f"FAIL fault {label}: {res.__class__.__name__}: {res}")
        else:
            ok, msg = res
            print(f"{'ok  ' if ok else 'FAIL'} fault {msg}")


if __name__ == "__main__":
    asyncio.run(main())
