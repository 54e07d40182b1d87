#!/usr/bin/env python3
"""smtp-doctor lab: self-check of the fault hosts (Scripts/lab/faults.py).

Run by Scripts/lab.sh check from the root namespace with lab.env exported.
Prints one "ok   ..." or "FAIL ..." line per check (lab.sh's format); all
checks run at once and take about 1.5 s. Expectations are written out here
on purpose rather than shared with faults.py. Standard library only.
"""

import asyncio
import base64
import binascii
import hmac
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


FAKE_HELLO = b"\x16\x03\x01\x00\x05hello"     # enough of a TLS record for the server to read


async def read_reset(r, secs=1.0):
    """(data, how): how is "reset", "eof" or "open" after secs."""
    data, deadline = b"", time.monotonic() + secs
    while True:
        try:
            chunk = await asyncio.wait_for(r.read(1 << 16), max(0.01, deadline - time.monotonic()))
        except ConnectionResetError:
            return data, "reset"
        except asyncio.TimeoutError:
            return data, "open"
        if not chunk:
            return data, "eof"
        data += chunk


async def starttls_220(r, w):
    """Greeting, EHLO offering STARTTLS, STARTTLS answered 220: the lines, or None."""
    greet, _ = await read_for(r, 1, until=reply_done)
    ehlo = await command(r, w, b"EHLO probe.lab.test")
    tls = await command(r, w, b"STARTTLS")
    ok = greet.startswith(b"220 ") and b"250-STARTTLS\r\n" in ehlo and tls.startswith(b"220 ")
    return ok, tls


async def closeeach(r, w):
    greet, _ = await read_for(r, 1, until=reply_done)
    ehlo = await command(r, w, b"EHLO probe.lab.test")
    rest, how = await read_reset(r)
    ok = greet.startswith(b"220 ") and b"250-STARTTLS\r\n" in ehlo and not rest and how == "eof"
    return ok, f"greeting, EHLO reply ({len(ehlo.splitlines())} lines), then {how}"


async def rststarttls(r, w):
    ok, tls = await starttls_220(r, w)
    rest, how = await read_reset(r)
    return ok and how == "reset", f"STARTTLS {show(tls, 20)}, then {how}"


async def rsthello(r, w):
    ok, tls = await starttls_220(r, w)
    first, how0 = await read_reset(r, 0.3)
    w.write(FAKE_HELLO)
    await w.drain()
    rest, how = await read_reset(r)
    ok = ok and how0 == "open" and how == "reset"
    return ok, f"STARTTLS {show(tls, 20)}, open until the ClientHello ({how0}), then {how}"


async def rstimplicit(r, w):
    first, how0 = await read_reset(r, 0.3)
    w.write(FAKE_HELLO)
    await w.drain()
    rest, how = await read_reset(r)
    return not first and how0 == "open" and how == "reset", f"silent until the ClientHello ({how0}), then {how}"


async def plaintls(r, w):
    ok, tls = await starttls_220(r, w)
    w.write(FAKE_HELLO)
    await w.drain()
    back, _ = await read_for(r, 1, until=reply_done)
    ok = ok and back == b"250 2.0.0 still in plain text\r\n"
    return ok, f"STARTTLS {show(tls, 20)}, ClientHello answered in plain text: {show(back)}"


async def tlsgarbage(r, w):
    w.write(FAKE_HELLO)
    await w.drain()
    data, eof = await read_for(r, 1, want=64 * 1024)
    ok = len(data) == 64 * 1024 and not eof
    return ok, f"ClientHello answered by {len(data)} bytes"


async def tlsdrip(r, w):
    ok, tls = await starttls_220(r, w)
    w.write(FAKE_HELLO)
    await w.drain()
    data, eof = await read_for(r, 1.5)
    ok = ok and 1 <= len(data) <= 3 and data[0] == 0x16 and not eof
    return ok, f"STARTTLS {show(tls, 20)}, then {len(data)} bytes in 1.5 s: {show(data)}"


async def endlessauth(r, w):
    greet, _ = await read_for(r, 1, until=reply_done)
    ehlo = await command(r, w, b"EHLO probe.lab.test")
    answers = [await command(r, w, b"AUTH PLAIN")]
    for _ in range(3):
        answers.append(await command(r, w, base64.b64encode(b"\0x@lab.test\0wrong")))
    ok = (greet.startswith(b"220 ") and b"250-AUTH PLAIN LOGIN\r\n" in ehlo
          and all(a.startswith(b"334 ") for a in answers))
    return ok, f"AUTH PLAIN and 3 answers: {' '.join(a[:3].decode('ascii', 'replace') for a in answers)}"


async def longlines(r, w):
    greet, _ = await read_for(r, 1, until=reply_done)
    ehlo = await command(r, w, b"EHLO probe.lab.test")
    lengths = {len(l) for l in (greet + ehlo).split(b"\r\n")[:-1]}
    ok = greet.startswith(b"220 ") and lengths == {8192}
    return ok, f"greeting and EHLO lines of {sorted(lengths)} bytes"


async def barelf(r, w):
    greet, _ = await read_for(r, 1, until=reply_done)
    ehlo = await command(r, w, b"EHLO probe.lab.test")
    quit_ = await command(r, w, b"QUIT")
    ok = (greet.startswith(b"220 ") and greet.endswith(b"\n") and ehlo.startswith(b"250-")
          and b"\r" not in greet + ehlo + quit_ and quit_.startswith(b"221"))
    return ok, f"no CR: greeting {show(greet)}, EHLO {len(ehlo.splitlines())} lines"


async def onebyte(r, w):
    # The other checks share this event loop, so reads may gather bytes.
    reads, data, t0 = 0, b"", time.monotonic()
    while not reply_done(data) and time.monotonic() < t0 + 1:
        chunk = await asyncio.wait_for(r.read(4096), 1)
        if not chunk:
            break
        reads, data = reads + 1, data + chunk
    took = (time.monotonic() - t0) * 1000
    # Timing is reported, not asserted: under load the check may start reading
    # after every byte was already sent (seen on a busy 2-core machine).
    ok = data.startswith(b"220 ") and reply_done(data)
    return ok, f"greeting of {len(data)} bytes in {reads} reads, {took:.0f} ms"


async def regreet(r, w):
    data, _ = await read_for(r, 0.5)
    ok = data.count(b"\r\n") == 2 and data.startswith(b"220 ") and b"\r\n220 " in data
    return ok, f"two greetings unasked: {show(data, 80)}"


async def hugereply(r, w):
    greet, _ = await read_for(r, 1, until=reply_done)
    ehlo = await command(r, w, b"EHLO probe.lab.test", secs=3)
    lines = ehlo.split(b"\r\n")[:-1]
    ok = greet.startswith(b"220 ") and len(lines) == 100_000 and lines[-1] == b"250 8BITMIME"
    return ok, f"EHLO reply of {len(lines)} lines ({len(ehlo)} bytes)"


async def ehlo5xx(r, w):
    greet, _ = await read_for(r, 1, until=reply_done)
    ehlo = await command(r, w, b"EHLO probe.lab.test")
    helo = await command(r, w, b"HELO probe.lab.test")
    ok = greet.startswith(b"220 ") and ehlo.startswith(b"500 ") and helo.startswith(b"250 ")
    return ok, f"EHLO {show(ehlo, 12)}, HELO {show(helo, 12)}"


async def mid421(r, w):
    greet, _ = await read_for(r, 1, until=reply_done)
    ehlo = await command(r, w, b"EHLO probe.lab.test")
    noop = await command(r, w, b"NOOP")
    _, how = await read_reset(r)
    ok = greet.startswith(b"220 ") and b"250-STARTTLS\r\n" in ehlo and noop.startswith(b"421 4.3.0 ") and how == "eof"
    return ok, f"EHLO ok, then NOOP {show(noop, 20)} and {how}"


# ---- authfault: SMTP AUTH failures, in plain text

PASSWORD, WRONG = E["LAB_PASSWORD"].encode(), b"not-the-lab-password"
SECRETS = {PASSWORD, WRONG}     # passwords and SASL payloads sent: none may show in faults.log
OK_235 = b"235 2.7.0 Authentication successful\r\n"
BAD_535 = b"535 5.7.8 Error: authentication failed: bad credentials\r\n"


def b64(data):
    out = base64.b64encode(data)
    SECRETS.add(out)
    return out


def plain_message(user, password=PASSWORD):
    return b64(b"\0" + user + b"\0" + password)


def plain(user, password=PASSWORD):
    return b"AUTH PLAIN " + plain_message(user, password)


def cram_challenge(data):
    """The challenge of a "334 <base64>" reply if it looks like <digits.digits@authfault name>."""
    m = re.fullmatch(rb"334 (\S+)\r\n", data)
    try:
        challenge = base64.b64decode(m[1], validate=True) if m else b""
    except (binascii.Error, ValueError):
        return None
    name = re.escape(E["LAB_AUTHFAULT_NAME"].encode())
    return challenge if re.fullmatch(rb"<\d+\.\d+@" + name + rb">", challenge) else None


def cram_answer(data):
    digest = hmac.new(PASSWORD, cram_challenge(data) or b"", "md5").hexdigest().encode()
    SECRETS.add(digest)
    return b64(b"good@lab.test " + digest)


async def authfault_ehlo(port):
    r, w = await connect(E["LAB_AUTHFAULT4"], port)
    try:
        greet, _ = await read_for(r, 1, until=reply_done)
        ehlo = await command(r, w, b"EHLO probe.lab.test")
        tls = await command(r, w, b"STARTTLS")
        quit_ = await command(r, w, b"QUIT")
    finally:
        close(w)
    name = E["LAB_AUTHFAULT_NAME"].encode()
    ok = (greet == b"220 " + name + b" ESMTP ready\r\n"
          and ehlo == b"250-" + name + b"\r\n250-AUTH PLAIN LOGIN CRAM-MD5\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME\r\n"
          and tls.startswith(b"502 ") and quit_.startswith(b"221 "))
    return ok, (f"authfault:{port} plain text, EHLO offers AUTH PLAIN LOGIN CRAM-MD5, STARTTLS {show(tls, 3)}"
                + ("" if ok else f": {show(greet)} / {show(ehlo, 120)} / {show(quit_)}"))


async def authfault(what, steps, port=None):
    """Greeting and EHLO, then each (line, want) of steps in turn. line: bytes, or a
    function of the previous reply; want: the exact reply, or a test of it."""
    port = port or E["LAB_PORT_SUBMISSION"]
    r, w = await connect(E["LAB_AUTHFAULT4"], port)
    got, replies = b"", []
    try:
        await read_for(r, 1, until=reply_done)
        await command(r, w, b"EHLO probe.lab.test")
        for i, (line, want) in enumerate(steps, 1):
            got = await command(r, w, line(got) if callable(line) else line)
            replies.append(got)
            if not (want(got) if callable(want) else got == want):
                wanted = "" if callable(want) else f"want {show(want, 130)}, "
                return False, f"authfault:{port} {what}: step {i}: {wanted}got {show(got, 130)}"
    finally:
        close(w)
    if len(steps) > 1:          # the codes in turn; every reply was checked in full above
        got = b" ".join(g[:3] for g in replies)
    return True, f"authfault:{port} {what}: {show(got, 130)}"


def authfault_checks():
    sub, good = E["LAB_PORT_SUBMISSION"], b"good@lab.test"
    relay = b"554 5.7.1 <someone@example.com>: Relay access denied\r\n"
    return [(f"authfault:{p} ehlo", authfault_ehlo(p)) for p in (E["LAB_PORT_SMTP"], sub)] + [
        (f"authfault:{sub} {what}", authfault(what, steps)) for what, steps in [
            ("PLAIN good", [(plain(good), OK_235)]),
            ("PLAIN good, no initial response", [(b"AUTH PLAIN", b"334 \r\n"), (plain_message(good), OK_235)]),
            ("PLAIN good, wrong password", [(plain(good, WRONG), BAD_535)]),
            ("PLAIN apppw", [(plain(b"apppw@lab.test"),
                              b"534-5.7.9 Application-specific password required. Learn more at\r\n"
                              b"534 5.7.9 https://support.example.test/apppasswords\r\n")]),
            ("PLAIN disabled", [(plain(b"disabled@lab.test"), b"535 5.7.139 Authentication unsuccessful, "
                                 b"SmtpClientAuthentication is disabled for the Tenant.\r\n")]),
            ("PLAIN tempfail", [(plain(b"tempfail@lab.test"), b"454 4.7.0 Temporary authentication failure\r\n")]),
            ("PLAIN unknown user", [(plain(b"nobody@lab.test"), BAD_535)]),
            ("XOAUTH2", [(b"AUTH XOAUTH2 " + b64(b"user=good@lab.test\x01auth=Bearer lab-token\x01\x01"),
                          b"504 5.5.4 Unrecognized authentication type\r\n")]),
            ("LOGIN good", [(b"AUTH LOGIN", b"334 VXNlcm5hbWU6\r\n"), (b64(good), b"334 UGFzc3dvcmQ6\r\n"),
                            (b64(PASSWORD), OK_235)]),
            ("CRAM-MD5 good", [(b"AUTH CRAM-MD5", cram_challenge), (cram_answer, OK_235)]),
            ("relay after 235", [(plain(good), OK_235), (b"MAIL FROM:<good@lab.test>", b"250 2.1.0 Ok\r\n"),
                                 (b"RCPT TO:<someone@example.com>", relay),
                                 (b"RCPT TO:<postmaster@lab.test>", b"250 2.1.5 Ok\r\n"),
                                 (b"DATA", b"554 5.5.1 Error: no valid recipients\r\n"),
                                 (b"QUIT", b"221 2.0.0 Bye\r\n")]),
            ("relay without AUTH", [(b"MAIL FROM:<x@lab.test>", b"250 2.1.0 Ok\r\n"),
                                    (b"RCPT TO:<someone@example.com>", relay)]),
        ]]


def authfault_log():
    """After the AUTH checks: faults.log has a line per attempt naming the user, and no secret."""
    try:
        with open(os.path.join(E["LAB_DIR"], "log", "faults.log"), "rb") as f:
            text = f.read()
    except OSError as e:
        return False, f"authfault log: cannot read faults.log: {e}"
    name = E["LAB_AUTHFAULT_NAME"].encode()
    want = [b"AUTH PLAIN user=good@lab.test: 235", b"AUTH PLAIN user=good@lab.test: 535",
            b"AUTH PLAIN user=apppw@lab.test: 534", b"AUTH LOGIN user=good@lab.test: 235",
            b"AUTH CRAM-MD5 user=good@lab.test: 235", b"AUTH XOAUTH2: 504"]
    missing = [x for x in want if b" " + name + b":%s " % E["LAB_PORT_SUBMISSION"].encode() + x not in text]
    leaked = sum(1 for x in SECRETS if x in text)
    ok = not missing and not leaked
    return ok, (f"authfault log: AUTH lines name the user; no password or SASL payload ({len(SECRETS)} looked for)"
                + ("" if ok else f": missing {[show(x) for x in missing]}, {leaked} leaked"))


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
        ("LAB_HOSTILE_HANGUP", hangup), ("LAB_HOSTILE_CLOSEEACH", closeeach),
        ("LAB_HOSTILE_RSTSTARTTLS", rststarttls), ("LAB_HOSTILE_RSTHELLO", rsthello),
        ("LAB_HOSTILE_RSTIMPLICIT", rstimplicit), ("LAB_HOSTILE_PLAINTLS", plaintls),
        ("LAB_HOSTILE_ENDLESSAUTH", endlessauth), ("LAB_HOSTILE_LONGLINES", longlines),
        ("LAB_HOSTILE_BARELF", barelf), ("LAB_HOSTILE_ONEBYTE", onebyte), ("LAB_HOSTILE_REGREET", regreet),
        ("LAB_HOSTILE_HUGEREPLY", hugereply), ("LAB_HOSTILE_EHLO5XX", ehlo5xx), ("LAB_HOSTILE_MID421", mid421),
        ("LAB_HOSTILE_TLSGARBAGE", tlsgarbage), ("LAB_HOSTILE_TLSDRIP", tlsdrip)]]
    return out + authfault_checks()


async def main():
    labels, jobs = zip(*checks())
    results = await asyncio.gather(*jobs, return_exceptions=True)
    for label, res in zip(labels, results):
        if isinstance(res, BaseException):
            print(f"FAIL fault {label}: {res.__class__.__name__}: {res}")
        else:
            ok, msg = res
            print(f"{'ok  ' if ok else 'FAIL'} fault {msg}")
    ok, msg = authfault_log()           # once the AUTH checks are done
    print(f"{'ok  ' if ok else 'FAIL'} fault {msg}")


if __name__ == "__main__":
    asyncio.run(main())
