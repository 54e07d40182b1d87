#!/usr/bin/env python3
"""Seeds Fuzz/corpus/<target>/ from the public conformance data.

    Fuzz/seed-corpus.py [CONFORMANCE_DIR]

CONFORMANCE_DIR defaults to $SMTP_DOCTOR_CONFORMANCE, else ../shared/conformance
beside the repository. Without it, the script says so and exits 0: the corpus
committed in Fuzz/corpus is used as it is. Standard library only (PyYAML is
used for the SPF suite when installed, a line reader otherwise).

Every file is named after the SHA-1 of its content (libFuzzer's own naming),
so running the script again adds nothing twice. Inputs for targets that read
a selector byte first (spf-macro, dmarc-record) get it prepended here.

Sources:
  spf-record     SPF and TXT values of the RFC 7208 suite's zone data
  spf-macro      the macro-strings in those records and the explanation TXTs
  spf-eval       each test of that suite: its identity, then its zone (needs PyYAML)
  dmarc-record   records of dmarc-vectors.json (both rule sets), From headers
  dkim-key       key records (dkim-static-vectors.json, dkimpy data), their DER
  dkim-tag-list  key records, DKIM-Signature values of the sample messages, DMARC records
  smtp-reply     reply lines and dialogue fragments of the Sisimai bounces, made
                 into replies; a few built here (multi-line, bare LF, over-long)
  report-reader  (not seeded here: its committed corpus started from reports that
                 `check --format json` wrote against the lab)
  dns-answer     DNS messages built here holding the records above (A, AAAA,
                 MX, TXT split into 255-byte strings, PTR, CNAME chains)
"""

import base64
import hashlib
import json
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
MAX_BYTES = 8192            # seeds stay small; libFuzzer's -max_len is set in Scripts/fuzz.sh


def conformance_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    if os.environ.get("SMTP_DOCTOR_CONFORMANCE"):
        return os.environ["SMTP_DOCTOR_CONFORMANCE"]
    return os.path.join(HERE, "..", "..", "shared", "conformance")


class Corpus:
    def __init__(self):
        self.added = {}

    def add(self, target, data):
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        if not data or len(data) > MAX_BYTES:
            return
        folder = os.path.join(CORPUS, target)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, hashlib.sha1(data).hexdigest())
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(data)
            self.added[target] = self.added.get(target, 0) + 1


def read(path, mode="r"):
    with open(path, mode, **({} if "b" in mode else {"encoding": "utf-8", "errors": "surrogateescape"})) as f:
        return f.read()


def as_bytes(text):
    """A YAML string of the SPF suite as the bytes its DNS would hold: code
    points below 256 as single bytes (the suite writes raw bytes as \\xNN)."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape")


# ------------------------------------------------------------------ SPF

def spf_zone_values(path):
    """Every SPF/TXT value in the suite's zonedata, as a list of strings."""
    text = read(path)
    values = []
    try:
        import yaml
        for doc in yaml.safe_load_all(text):
            for records in ((doc or {}).get("zonedata") or {}).values():
                for record in records or []:
                    if not isinstance(record, dict):
                        continue
                    for kind, value in record.items():
                        if kind in ("SPF", "TXT") and value not in (None, "NONE", "TIMEOUT"):
                            values.append(value if isinstance(value, list) else [str(value)])
        return values
    except ImportError:
        pass
    # Without PyYAML: the one-line "- SPF: value" / "- TXT: value" entries.
    for m in re.finditer(r"^\s*- (?:SPF|TXT):\s*(.+?)\s*$", text, re.M):
        raw = m.group(1)
        if raw in ("NONE", "TIMEOUT"):
            continue
        if raw.startswith("["):
            parts = re.findall(r'"((?:[^"\\]|\\.)*)"', raw)
            values.append([p.encode("latin-1", "backslashreplace").decode("unicode_escape") for p in parts])
        elif raw.startswith('"') and raw.endswith('"'):
            values.append([raw[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")])
        elif raw.startswith("'") and raw.endswith("'"):
            values.append([raw[1:-1].replace("''", "'")])
        else:
            values.append([raw])
    return values


def seed_spf(corpus, root):
    path = os.path.join(root, "spf", "rfc7208-tests.yml")
    if not os.path.exists(path):
        print(f"seed-corpus: no {path}; SPF seeds skipped")
        return [], []
    values = spf_zone_values(path)
    records, texts = [], []
    for strings in values:
        joined = b"".join(as_bytes(s) for s in strings)
        texts.append((strings, joined))
        if joined.lower().startswith(b"v=spf"):
            records.append(joined)
            corpus.add("spf-record", joined)
            for term in joined.split(b" "):
                # domain-spec after ":" (mechanisms) or "=" (modifiers)
                m = re.match(rb"^[-+~?]?[A-Za-z][A-Za-z0-9_.-]*[:=](.*)$", term)
                if m and b"%" in m.group(1):
                    grammar = 2 if b"=" in term and not term.lower().startswith((b"redirect=", b"exp=")) else 0
                    corpus.add("spf-macro", bytes([grammar]) + m.group(1))
        else:
            corpus.add("spf-macro", b"\x01" + joined)         # an explanation string
    for sample in [b"%{d}", b"%{ir}.%{v}._spf.%{d}", b"%{l1r-+}.%{d2}", b"%{S}%%%_%-", b"%{i128r.}",
                   b"%{c} is %{p} at %{t}", b"%{h99999999999999999999}", b"%{o0}"]:
        for grammar in (0, 1, 2):
            corpus.add("spf-macro", bytes([grammar]) + sample)
    return records, texts


def seed_spf_eval(corpus, root):
    """One input per test of the RFC 7208 suite: "<ip> <mailfrom> <helo>", then
    the scenario's zone, one "<name> <TYPE> <data>" line per record (the
    format of Targets/spf-eval). Needs PyYAML; without it the committed corpus serves."""
    path = os.path.join(root, "spf", "rfc7208-tests.yml")
    try:
        import yaml
    except ImportError:
        print("seed-corpus: no PyYAML; spf-eval seeds skipped")
        return
    if not os.path.exists(path):
        return
    for doc in yaml.safe_load_all(read(path)):
        if not doc:
            continue
        zone = []
        for name, records in (doc.get("zonedata") or {}).items():
            txt, spf = [], []
            for record in records or []:
                if record == "TIMEOUT":
                    zone.append(f"{name} TIMEOUT")
                    continue
                for kind, value in record.items():
                    if kind in ("TXT", "SPF"):
                        if value == "NONE":
                            txt.append(None)
                            continue
                        text = "".join(value) if isinstance(value, list) else str(value)
                        (txt if kind == "TXT" else spf).append(text.replace("\n", " "))
                    elif kind == "MX":
                        zone.append(f"{name} MX {value[0]} {value[1]}")
                    else:
                        zone.append(f"{name} {kind} {value}")
            for text in (txt if txt else spf):
                if text is not None:
                    zone.append(f"{name} TXT {text}")
        for test in (doc.get("tests") or {}).values():
            head = f"{test.get('host', '192.0.2.1')} {test.get('mailfrom') or '<>'} {test.get('helo', 'helo.example.test')}"
            data = "\n".join([head] + zone).encode("latin-1", "replace")
            corpus.add("spf-eval", data)


# ------------------------------------------------------------------ DMARC

def seed_dmarc(corpus, root):
    path = os.path.join(root, "dmarc", "dmarc-vectors.json")
    if not os.path.exists(path):
        print(f"seed-corpus: no {path}; DMARC seeds skipped")
        return []
    data = json.loads(read(path))
    records = []
    for case in data.get("record_cases", []):
        record = case.get("record")
        if isinstance(record, str):
            records.append(record)
            corpus.add("dmarc-record", b"\x00" + record.encode())
            corpus.add("dmarc-record", b"\x01" + record.encode())
            corpus.add("dkim-tag-list", record)
    for case in data.get("from_domain_cases", []):
        if isinstance(case.get("from_header_value"), str):
            corpus.add("dmarc-record", b"\x00" + case["from_header_value"].encode())
    return records


# ------------------------------------------------------------------ DKIM

KEY_RECORD = re.compile(r"^\s*(v=DKIM1|k=|p=)", re.I)


def dkim_signatures(message):
    """The values of the DKIM-Signature fields of a message (unfolded as written)."""
    head = message.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    fields = re.split(rb"\r?\n(?=[^ \t])", head)
    return [f.split(b":", 1)[1] for f in fields if f.lower().startswith(b"dkim-signature:")]


def seed_dkim(corpus, root):
    folder = os.path.join(root, "dkim")
    if not os.path.isdir(folder):
        print(f"seed-corpus: no {folder}; DKIM seeds skipped")
        return []
    keys = []
    path = os.path.join(folder, "dkim-static-vectors.json")
    if os.path.exists(path):
        for case in json.loads(read(path)).get("cases", []):
            for table in (case.get("dns_txt") or {}, case.get("alt_dns_txt") or {}):
                keys += [v for v in table.values() if isinstance(v, str)]
    for sub in ("dkimpy/data",):
        d = os.path.join(folder, sub)
        for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            p = os.path.join(d, name)
            if name.endswith((".txt", ".dns")) and os.path.getsize(p) < MAX_BYTES:
                text = read(p).strip()
                if KEY_RECORD.match(text):
                    keys.append(text)
    for sub in ("dkimpy/data", "go-msgauth/messages"):
        d = os.path.join(folder, sub)
        for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            p = os.path.join(d, name)
            if os.path.isfile(p) and os.path.getsize(p) < 1 << 20:
                for value in dkim_signatures(read(p, "rb")):
                    corpus.add("dkim-tag-list", value)
    for key in keys:
        corpus.add("dkim-key", key)
        corpus.add("dkim-tag-list", key)
        m = re.search(r"p=([A-Za-z0-9+/=\s]+)", key)
        if m:
            try:
                corpus.add("dkim-key", base64.b64decode(re.sub(r"\s", "", m.group(1)), validate=True))
            except ValueError:
                pass
    return keys


# ------------------------------------------------------------------ SMTP replies

REPLY_START = re.compile(r"(?<![0-9])([2-5][0-9][0-9])([ -]|$)")


def seed_replies(corpus, root):
    built = [
        b"220 mail.example.com ESMTP ready\r\n",
        b"250-mail.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n"
        b"250-ENHANCEDSTATUSCODES\r\n250 8BITMIME\r\n",
        b"220 2.0.0 Ready to start TLS\r\n250 2.0.0 injected\r\n",
        b"220-first\r\n230-second\r\n220 end\r\n",
        b"250 hello\n250-bare\n250 LF\n",
        b"334 \r\n",
        b"554 5.7.1 <x@y>: Relay access denied\r\n221 2.0.0 Bye\r\n",
        b"220 evil\x00\x1b[2J\x1b]0;pwned\x07 ESMTP\r\n",
        b"220" + b"\r\n",
        b"250-" + b"A" * 4092 + b"\r\n250 x\r\n",
        b"250 " + b"B" * 4097 + b"\r\n",
        b"".join(b"220-line %d\r\n" % i for i in range(60)),
        b"421 4.3.2 Service not available\r\n",
        b"535 5.7.8 Error: authentication failed\r\n",
        b"\xff\xfe250 binary\r\n",
    ]
    for data in built:
        corpus.add("smtp-reply", data)
    path = os.path.join(root, "bounces", "sisimai-smtp-reply-lines.json")
    if not os.path.exists(path):
        print(f"seed-corpus: no {path}; reply-line seeds skipped")
        return
    data = json.loads(read(path))
    for case in data.get("reply_lines", []):
        line = case.get("line", "")
        m = REPLY_START.search(line)
        if m:
            corpus.add("smtp-reply", line[m.start():].rstrip() + "\r\n")
    for fragment in data.get("dialogue_fragments", []):
        replies = [l[4:] for l in fragment.get("lines", []) if l.startswith("<<< ")]
        if replies:
            corpus.add("smtp-reply", "".join(r + "\r\n" for r in replies))


# ------------------------------------------------------------------ DNS messages

def dns_name(name):
    out = b""
    for label in name.rstrip(".").split(".") if name.strip(".") else []:
        out += bytes([len(label.encode()) & 0x3F]) + label.encode()[:63]
    return out + b"\x00"


def dns_message(qname, qtype, answers, rcode=0, compress=False):
    """A response: header, one question, answers [(name, type, rdata)]."""
    header = struct.pack(">HHHHHH", 0x1234, 0x8180 | rcode, 1, len(answers), 0, 0)
    question = dns_name(qname) + struct.pack(">HH", qtype, 1)
    body = b""
    for name, rtype, rdata in answers:
        owner = b"\xc0\x0c" if compress and name == qname else dns_name(name)
        body += owner + struct.pack(">HHIH", rtype, 1, 300, len(rdata)) + rdata
    return header + question + body


def txt_rdata(data):
    out = b""
    for i in range(0, max(len(data), 1), 255):
        chunk = data[i:i + 255]
        out += bytes([len(chunk)]) + chunk
    return out


def seed_dns(corpus, txt_values):
    A, AAAA, MX, TXT, PTR, CNAME = 1, 28, 15, 16, 12, 5
    q = "mail.example.test"
    msgs = [
        dns_message(q, A, [(q, A, bytes([198, 51, 100, 10]))], compress=True),
        dns_message(q, A, [(q, A, bytes([198, 51, 100, 10])), (q, A, bytes([198, 51, 100, 11]))]),
        dns_message(q, AAAA, [(q, AAAA, bytes(15) + b"\x10")]),
        dns_message("example.test", MX, [("example.test", MX, struct.pack(">H", 10) + dns_name(q))]),
        dns_message("example.test", MX, [("example.test", MX, struct.pack(">H", 0) + b"\x00")]),  # null MX
        dns_message("example.test", MX, [("example.test", MX, struct.pack(">H", 10) + b"\xc0\x0c")], compress=True),
        dns_message("10.100.51.198.in-addr.arpa", PTR, [("10.100.51.198.in-addr.arpa", PTR, dns_name(q))]),
        dns_message("alias.example.test", A, [("alias.example.test", CNAME, dns_name(q)), (q, A, bytes([198, 51, 100, 10]))]),
        dns_message("alias.example.test", TXT, [("alias.example.test", CNAME, dns_name("hop.example.test"))]),
        dns_message("gone.example.test", A, [], rcode=3),
        dns_message("loop.example.test", A, [], compress=True) + b"\xc0\x0c",
        dns_message(q, TXT, [(q, TXT, b"")]),
    ]
    for strings, joined in txt_values[:200]:
        rdata = b"".join(txt_rdata(as_bytes(s)) for s in strings) if strings else txt_rdata(b"")
        msgs.append(dns_message("example.test", TXT, [("example.test", TXT, rdata)], compress=len(msgs) % 2 == 0))
    for data in msgs:
        corpus.add("dns-answer", data)


def seed_explain(corpus, root):
    """Bounce messages (the smaller ones) for `bounce`, real reply lines for
    `reply-lines`, signed test messages for `dkim-signature`."""
    folder = os.path.join(root, "bounces", "maildir-bsd")
    names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    for name in names:
        p = os.path.join(folder, name)
        if os.path.getsize(p) <= 16384:
            corpus.add("bounce", read(p, "rb"))
    path = os.path.join(root, "bounces", "sisimai-smtp-reply-lines.json")
    if os.path.exists(path):
        for case in json.loads(read(path)).get("reply_lines", [])[:300]:
            corpus.add("reply-lines", case.get("line", ""))
    for sub in ("dkim/dkimpy/data", "dkim/go-msgauth/messages"):
        d = os.path.join(root, sub)
        for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            p = os.path.join(d, name)
            if os.path.isfile(p) and os.path.getsize(p) <= 16384 and dkim_signatures(read(p, "rb")):
                corpus.add("dkim-signature", read(p, "rb"))


def main():
    root = conformance_dir()
    corpus = Corpus()
    if not os.path.isdir(root):
        print(f"seed-corpus: no conformance data at {root}; the committed corpus in {CORPUS} is used as it is")
        seed_replies(corpus, root)          # the built-in reply seeds need no data
        seed_dns(corpus, [])
    else:
        _, texts = seed_spf(corpus, root)
        seed_spf_eval(corpus, root)
        dmarc = seed_dmarc(corpus, root)
        keys = seed_dkim(corpus, root)
        seed_replies(corpus, root)
        seed_explain(corpus, root)
        extra = [([k], k.encode()) for k in keys] + [([d], d.encode()) for d in dmarc[:50]]
        seed_dns(corpus, texts + extra)
    for target in sorted(os.listdir(CORPUS)) if os.path.isdir(CORPUS) else []:
        n = len(os.listdir(os.path.join(CORPUS, target)))
        print(f"seed-corpus: {target:14} {n:5} files ({corpus.added.get(target, 0)} new)")


if __name__ == "__main__":
    main()
