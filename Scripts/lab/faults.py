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
  LAB_AUTHFAULT4 25 587           plain-text SMTP with AUTH; the AUTH reply depends on the user
  LAB_AUTHFAULT4 2525             the same, offering only AUTH GSSAPI NTLM
                                  name (see AUTH_BY_USER below), relay always denied, DATA 554
  LAB_HOSTILE4   LAB_HOSTILE_*    one misbehaviour per port (see HOSTILE below); the TLS ones
                                  use the certificates certs.sh makes in LAB_HOSTILE_TLS_DIR

"SMTP" (all but authfault) is a minimal server: EHLO (multi-line 250), HELO, NOOP, RSET, QUIT;
anything else gets 502. Every connection is bounded: lines of at most
MAX_LINE bytes, at most LAB_FAULT_MAX_SECONDS of life, at most MAX_CONNS at
once. A client that closes ends its connection here too.

Usage: faults.py --pidfile FILE    (writes FILE once every listener is bound;
logs one line per connection to stdout)
"""

import argparse
import asyncio
import base64
import binascii
import contextlib
import hmac
import os
import random
import re
import socket
import ssl
import struct
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
        self.port = writer.get_extra_info("sockname")[1]

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


def reset(c):
    """Close with a TCP RST (SO_LINGER 0) rather than a FIN."""
    sock = c.writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.writer.transport.abort()


async def client_hello(c):
    """The first bytes of the client's TLS handshake (None if it sends none in 10 s)."""
    try:
        data = await asyncio.wait_for(c.reader.read(MAX_LINE), 10)
    except asyncio.TimeoutError:
        return None
    return data or None


async def on_starttls_then(c, after):
    """STARTTLS answered 220; then after(c) instead of a TLS server."""
    async def handle(c):
        await c.send(b"220 2.0.0 Ready to start TLS\r\n")
        await after(c)
    await greet_and_serve(c, starttls=True, on_starttls=handle)


def tls_context(label):
    """A server context with LAB_HOSTILE_TLS_DIR/<label>.key and .chain.pem (leaf first)."""
    folder = env("LAB_HOSTILE_TLS_DIR")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(folder, f"{label}.chain.pem"), os.path.join(folder, f"{label}.key"))
    return ctx


TLS_CONTEXTS = {}


def tls(label):
    if label not in TLS_CONTEXTS:
        TLS_CONTEXTS[label] = tls_context(label)
    return TLS_CONTEXTS[label]


async def close_each(c):
    """Each command gets its reply, then the connection closes (FIN)."""
    await c.send(b"220 " + c.name + b" ESMTP ready\r\n")
    line = await c.line()
    if line is None:
        return
    verb = line.strip().split(b" ", 1)[0].upper()
    if verb == b"EHLO":
        await c.send(reply(b"250", *ehlo_lines(c.name, starttls=True)))
    elif verb == b"QUIT":
        await c.send(b"221 2.0.0 Bye\r\n")
    else:
        await c.send(b"250 2.0.0 Ok\r\n")


async def rst_starttls(c):
    async def after(c):
        reset(c)
    await on_starttls_then(c, after)


async def rst_hello(c):
    async def after(c):
        await client_hello(c)
        reset(c)
    await on_starttls_then(c, after)


async def rst_implicit(c):
    await client_hello(c)
    reset(c)


async def tls_garbage(c):
    await client_hello(c)
    await c.send(os.urandom(64 * 1024))
    await c.drain_input()


async def tls_drip(c):
    async def after(c):
        await client_hello(c)
        for byte in b"\x16\x03\x03\x00\x7a\x02\x00\x00\x76\x03\x03":    # a ServerHello's start
            await c.send(bytes([byte]))
            await asyncio.sleep(1)
        await c.drain_input()
    await on_starttls_then(c, after)


async def plain_after_tls(c):
    """STARTTLS accepted; the ClientHello gets plaintext SMTP back, not a ServerHello."""
    async def after(c):
        await client_hello(c)
        await c.send(b"250 2.0.0 still in plain text\r\n")
        await smtp(c, ehlo_lines(c.name))
    await on_starttls_then(c, after)


async def big_cert(c):
    """Implicit TLS with a leaf of LAB_HOSTILE_BIGCERT_NAMES names (the listener holds the TLS)."""
    await greet_and_serve(c)


async def deep_chain(c):
    """STARTTLS, then a LAB_HOSTILE_DEEPCHAIN_DEPTH-deep chain; SMTP after the handshake."""
    async def handle(c):
        await c.send(b"220 2.0.0 Ready to start TLS\r\n")
        await c.writer.start_tls(tls("deepchain"), ssl_handshake_timeout=30)
        await smtp(c, ehlo_lines(c.name))
    await greet_and_serve(c, starttls=True, on_starttls=handle)


async def endless_auth(c):
    """Plain text, AUTH offered; every answer gets one more 334 challenge."""
    await c.send(b"220 " + c.name + b" ESMTP ready\r\n")
    while (line := await c.line()) is not None:
        verb = line.strip().split(b" ", 1)[0].upper()
        if verb == b"EHLO":
            await c.send(reply(b"250", c.name, b"AUTH PLAIN LOGIN", b"8BITMIME"))
        elif verb == b"AUTH":
            n = 0
            while True:
                n += 1
                await c.send(b"334 " + base64.b64encode(b"challenge %d" % n) + CRLF)
                if await c.line() is None:
                    return
        elif verb == b"QUIT":
            await c.send(b"221 2.0.0 Bye\r\n")
            return
        else:
            await c.send(b"250 2.0.0 Ok\r\n")


async def long_lines(c):
    """A proper SMTP server whose every reply line is 8 KiB long."""
    def kib8(text):                 # "NNN-" + text: 8,192 bytes before the CR LF
        return text + b" " + b"x" * (8192 - 4 - len(text) - 1)
    await c.send(b"220 " + kib8(c.name) + CRLF)
    await smtp(c, [kib8(c.name), kib8(b"PIPELINING"), kib8(b"8BITMIME")])


async def bare_lf(c):
    """A proper SMTP server that ends its lines with LF alone."""
    async def send(data):
        await Conn.send(c, data.replace(CRLF, b"\n"))
    c.send = send
    await greet_and_serve(c)


async def one_byte_segments(c):
    """A proper SMTP server writing one byte per TCP segment."""
    sock = c.writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    async def send(data):
        for byte in data:
            await Conn.send(c, bytes([byte]))
            await asyncio.sleep(0.001)
    c.send = send
    await greet_and_serve(c)


async def second_greeting(c):
    await c.send(b"220 " + c.name + b" ESMTP ready\r\n")
    await asyncio.sleep(0.1)
    await c.send(b"220 " + c.name + b" ESMTP ready again\r\n")
    await smtp(c, ehlo_lines(c.name))


async def huge_multiline(c):
    """A 100,000-line EHLO reply, sent in chunks until the client goes."""
    await c.send(b"220 " + c.name + b" ESMTP ready\r\n")
    line = await c.line()
    if line is None or not line.upper().startswith(b"EHLO"):
        return

    async def lines():
        total = 100_000
        for start in range(0, total - 1, 1000):
            await c.send(b"".join(b"250-X-LINE-%06d\r\n" % i for i in range(start, min(start + 1000, total - 1))))
        await c.send(b"250 8BITMIME\r\n")
        await asyncio.sleep(LIFETIME)       # until_closed() reads; it ends this when the client goes
    await c.until_closed(lines)


async def ehlo_5xx(c):
    """EHLO refused (500), HELO accepted: an old server (RFC 5321 3.2 fallback)."""
    await c.send(b"220 " + c.name + b" SMTP ready\r\n")
    while (line := await c.line()) is not None:
        verb = line.strip().split(b" ", 1)[0].upper()
        if verb == b"EHLO":
            await c.send(b"500 5.5.1 Command unrecognized: EHLO\r\n")
        elif verb == b"HELO":
            await c.send(b"250 " + c.name + b"\r\n")
        elif verb == b"QUIT":
            await c.send(b"221 2.0.0 Bye\r\n")
            return
        elif verb in (b"NOOP", b"RSET"):
            await c.send(b"250 2.0.0 Ok\r\n")
        else:
            await c.send(b"502 5.5.2 Error: command not recognized\r\n")


async def midsession_421(c):
    """Greeting and EHLO as usual; the next command gets 421 and the connection closes."""
    await c.send(b"220 " + c.name + b" ESMTP ready\r\n")
    while (line := await c.line()) is not None:
        if line.strip().split(b" ", 1)[0].upper() == b"EHLO":
            await c.send(reply(b"250", *ehlo_lines(c.name, starttls=True)))
            continue
        await c.send(b"421 4.3.0 " + c.name + b" Server shutting down, closing connection\r\n")
        return


# ------------------------------------------------------------- authfault: SMTP AUTH failures
#
# Plain text (no TLS, no STARTTLS). AUTH PLAIN (with or without an initial
# response), LOGIN (with or without one) and CRAM-MD5; the reply depends on the
# user name decoded from the exchange. The log names the mechanism, the user
# and the reply code, never a password or a SASL payload.

AUTH_OK = b"235 2.7.0 Authentication successful\r\n"
AUTH_BAD = b"535 5.7.8 Error: authentication failed: bad credentials\r\n"
AUTH_BY_USER = {            # user name (local part @ LAB_DOMAIN) -> reply, whatever the password
    "apppw": reply(b"534", b"5.7.9 Application-specific password required. Learn more at",
                   b"5.7.9 https://support.example.test/apppasswords"),
    "disabled": b"535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.\r\n",
    "tempfail": b"454 4.7.0 Temporary authentication failure\r\n",
}
AUTH_GOOD = "good"          # good@LAB_DOMAIN: 235 with password LAB_PASSWORD, else 535 5.7.8
AUTH_MECHS = (b"PLAIN", b"LOGIN", b"CRAM-MD5")


class SaslEnd(Exception):
    """The exchange ends early with this reply (client abort, bad base64...)."""

    def __init__(self, answer, note):
        super().__init__(note)
        self.answer, self.note = answer, note


def printable(data, n=64):
    """For the log and for echoed addresses: ASCII, control bytes as '?', at most n bytes."""
    out = bytes(b if 0x20 <= b < 0x7f else 0x3f for b in data[:n])
    return out + (b"..." if len(data) > n else b"")


def sasl_decode(data):
    data = data.strip()
    if data == b"*":
        raise SaslEnd(b"501 5.7.0 Authentication aborted\r\n", "aborted by the client")
    if data == b"=":                # RFC 4954: an empty initial response
        return b""
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise SaslEnd(b"501 5.5.2 Cannot decode response\r\n", "bad base64") from None


async def sasl_step(c, challenge):
    """Send "334 challenge", return the client's decoded answer."""
    await c.send(b"334 " + challenge + CRLF)
    line = await c.line()
    if line is None:
        raise EOFError
    return sasl_decode(line)


async def auth_exchange(c, mech, initial):
    """Run one SASL exchange: (user name, password right?), or raise SaslEnd / EOFError."""
    secret = env("LAB_PASSWORD").encode()
    if mech == b"PLAIN":
        msg = sasl_decode(initial) if initial is not None else await sasl_step(c, b"")
        parts = msg.split(b"\0")
        if len(parts) != 3:
            raise SaslEnd(AUTH_BAD, "malformed PLAIN message")
        return parts[1], hmac.compare_digest(parts[2], secret)
    if mech == b"LOGIN":
        user = sasl_decode(initial) if initial is not None else await sasl_step(c, b"VXNlcm5hbWU6")
        password = await sasl_step(c, b"UGFzc3dvcmQ6")
        return user, hmac.compare_digest(password, secret)
    # CRAM-MD5 (RFC 2195): no initial response; "user hexdigest" of HMAC-MD5(password, challenge)
    if initial is not None:
        raise SaslEnd(b"501 5.5.4 Initial response not allowed for CRAM-MD5\r\n", "initial response")
    challenge = b"<%d.%d@%s>" % (random.randint(10000, 99999), int(time.time()), c.name)
    answer = await sasl_step(c, base64.b64encode(challenge))
    user, _, digest = answer.rpartition(b" ")
    if not user:
        raise SaslEnd(AUTH_BAD, "malformed CRAM-MD5 answer")
    want = hmac.new(secret, challenge, "md5").hexdigest().encode()
    return user, hmac.compare_digest(digest.lower(), want)


def auth_verdict(user, password_ok):
    local, _, domain = user.decode("utf-8", "replace").lower().rpartition("@")
    if domain != env("LAB_DOMAIN"):
        return AUTH_BAD
    if local == AUTH_GOOD:
        return AUTH_OK if password_ok else AUTH_BAD
    return AUTH_BY_USER.get(local, AUTH_BAD)


async def auth(c, arg):
    """AUTH MECH [initial-response]: the reply to send (the log line is written here)."""
    words = arg.split()
    if not words or len(words) > 2:
        return b"501 5.5.4 Syntax: AUTH mechanism\r\n"
    mech, initial = words[0].upper(), (words[1] if len(words) == 2 else None)
    what = f"{c.name.decode()}:{c.port} AUTH {printable(mech, 20).decode()}"
    if mech not in AUTH_MECHS:
        answer = b"504 5.5.4 Unrecognized authentication type\r\n"
        log(f"{what}: {answer[:3].decode()} (mechanism not offered)")
        return answer
    try:
        user, password_ok = await auth_exchange(c, mech, initial)
    except SaslEnd as e:
        log(f"{what}: {e.answer[:3].decode()} ({e.note})")
        return e.answer
    except EOFError:
        log(f"{what}: client gone during the exchange")
        raise
    answer = auth_verdict(user, password_ok)
    log(f"{what} user={printable(user).decode()}: {answer[:3].decode()}")
    return answer


async def authfault_unsupported(c):
    """Port 2525: offers only mechanisms smtp-doctor (and most clients) do not speak."""
    await authfault(c, [b"GSSAPI", b"NTLM"])


async def authfault(c, mechs=None):
    mechs = AUTH_MECHS if mechs is None else mechs
    await c.send(b"220 " + c.name + b" ESMTP ready\r\n")
    rcpt_ok = b"@" + env("LAB_DOMAIN").encode()
    authenticated = in_mail = False
    while (line := await c.line()) is not None:
        verb, _, arg = line.strip().partition(b" ")
        verb, arg = verb.upper(), arg.strip()
        if verb == b"EHLO":
            in_mail = False
            answer = reply(b"250", c.name, b"AUTH " + b" ".join(mechs), b"ENHANCEDSTATUSCODES", b"8BITMIME")
        elif verb == b"HELO":
            in_mail = False
            answer = reply(b"250", c.name)
        elif verb == b"AUTH":
            if authenticated:
                answer = b"503 5.5.1 Error: already authenticated\r\n"
            else:
                try:
                    answer = await auth(c, arg)
                except EOFError:
                    return
                authenticated = answer == AUTH_OK
        elif verb == b"MAIL":
            if not re.fullmatch(rb"FROM:\s*<[^<>]*>.*", arg, re.I | re.S):
                answer = b"501 5.5.4 Syntax: MAIL FROM:<address>\r\n"
            elif in_mail:
                answer = b"503 5.5.1 Error: nested MAIL command\r\n"
            else:
                in_mail, answer = True, b"250 2.1.0 Ok\r\n"
        elif verb == b"RCPT":
            m = re.fullmatch(rb"TO:\s*<([^<>]*)>.*", arg, re.I | re.S)
            if not in_mail:
                answer = b"503 5.5.1 Error: need MAIL command\r\n"
            elif not m:
                answer = b"501 5.5.4 Syntax: RCPT TO:<address>\r\n"
            elif m[1].lower().endswith(rcpt_ok):
                answer = b"250 2.1.5 Ok\r\n"
            else:               # authenticated or not: this host relays nothing
                answer = b"554 5.7.1 <" + printable(m[1], 256) + b">: Relay access denied\r\n"
        elif verb == b"DATA":
            answer = b"554 5.5.1 Error: no valid recipients\r\n"     # never accepts a message
        elif verb in (b"NOOP", b"RSET"):
            if verb == b"RSET":
                in_mail = False
            answer = b"250 2.0.0 Ok\r\n"
        elif verb == b"QUIT":
            await c.send(b"221 2.0.0 Bye\r\n")
            return
        else:                   # STARTTLS included: no TLS here at all
            answer = b"502 5.5.2 Error: command not recognized\r\n"
        await c.send(answer)


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
    "LAB_HOSTILE_CLOSEEACH": close_each,
    "LAB_HOSTILE_RSTSTARTTLS": rst_starttls,
    "LAB_HOSTILE_RSTHELLO": rst_hello,
    "LAB_HOSTILE_RSTIMPLICIT": rst_implicit,
    "LAB_HOSTILE_BIGCERT": big_cert,
    "LAB_HOSTILE_DEEPCHAIN": deep_chain,
    "LAB_HOSTILE_PLAINTLS": plain_after_tls,
    "LAB_HOSTILE_ENDLESSAUTH": endless_auth,
    "LAB_HOSTILE_LONGLINES": long_lines,
    "LAB_HOSTILE_BARELF": bare_lf,
    "LAB_HOSTILE_ONEBYTE": one_byte_segments,
    "LAB_HOSTILE_REGREET": second_greeting,
    "LAB_HOSTILE_HUGEREPLY": huge_multiline,
    "LAB_HOSTILE_EHLO5XX": ehlo_5xx,
    "LAB_HOSTILE_MID421": midsession_421,
    "LAB_HOSTILE_TLSGARBAGE": tls_garbage,
    "LAB_HOSTILE_TLSDRIP": tls_drip,
}
HOSTILE_TLS = {"LAB_HOSTILE_BIGCERT": "bigcert"}     # implicit TLS on the listener: port -> certificate label


def listeners():
    """(address, port, DNS name, behaviour, TLS context or None) for every listener."""
    smtp_ports = [env("LAB_PORT_SMTP"), env("LAB_PORT_SUBMISSION")]
    hosts = [
        ("SILENT", silent, smtp_ports + [env("LAB_PORT_SUBMISSIONS"), env("LAB_PORT_ALT")]),
        ("SLOW", slow, smtp_ports),
        ("BUSY", busy, smtp_ports),
        ("REFUSE", refuse, smtp_ports),
        ("TLSSTALL", tlsstall, smtp_ports),
        ("INJECT", inject, [env("LAB_PORT_SUBMISSION")]),
        ("AUTHFAULT", authfault, smtp_ports),
        ("AUTHFAULT", authfault_unsupported, [env("LAB_PORT_ALT")]),
    ]
    out = []
    for key, fn, ports in hosts:
        for port in ports:
            out.append((env(f"LAB_{key}4"), int(port), env(f"LAB_{key}_NAME"), fn, None))
    for key, fn in HOSTILE.items():
        ctx = tls(HOSTILE_TLS[key]) if key in HOSTILE_TLS else None
        out.append((env("LAB_HOSTILE4"), int(env(key)), env("LAB_HOSTILE_NAME"), fn, ctx))
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
    for addr, port, name, fn, ctx in listeners():
        tls_options = {"ssl": ctx, "ssl_handshake_timeout": 30} if ctx else {}
        servers.append(await asyncio.start_server(handler(addr, port, name, fn), addr, port,
                                                  limit=MAX_LINE, reuse_address=True, **tls_options))
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
