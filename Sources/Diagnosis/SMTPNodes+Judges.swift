import Foundation
import Probes

extension SMTPNodes {
    static func judgeGreeting(_ facts: Facts) -> Judgement {
        guard let s = session(facts) else { return notReached(facts) }
        let alt = facts.smtp?.alternate
        let port = s.port
        let evidence = transcript(s) + (alt.map { ["--- the same port in \($0.mode.rawValue) mode:"] + transcript($0) } ?? [])
        let wait = seconds(s.deadlines.greetingMs)

        if s.mode == .implicit, s.greeting == nil,
           s.greetedInPlainText || alt?.greeting?.code == 220 || alt?.greetedInPlainText == true {
            let line = alt?.greeting?.wireLines.first.map { " (\"\($0)\")" } ?? ""
            return confirmed(.tlsModeMismatchPlain, evidence: evidence,
                summary: "Port \(port) greets in plain text\(line), but the client started TLS at once: this port wants STARTTLS, not implicit TLS.",
                remediation: [
                    "Set the mail program to STARTTLS on port \(port) (often labelled \"STARTTLS\" or \"TLS\", not \"SSL/TLS\").",
                    "Or use port 465 with implicit TLS, if the provider offers it.",
                ])
        }
        let silentGreeting: Bool = {
            if case .timedOut(.greeting) = s.end { return true }
            if s.mode == .implicit, case .timedOut(.tlsHandshake) = s.end, s.bytesReceived == 0 { return true }
            return false
        }()
        guard silentGreeting else {
            if let delay = s.greetingDelayMs, let greeting = s.greeting {
                return Judgement(.ruledOut, evidence: ["The greeting arrived after \(delay) ms: \(SafeText.clean(greeting.wireLines.first ?? ""))"])
            }
            return Judgement(.ruledOut, evidence: ["The server sent \(s.bytesReceived) bytes; the conversation ended with \(describe(s.end))."])
        }
        if s.mode != .implicit, let alt, alt.tls != nil || alt.spokeTLS {
            let version = alt.tls?.version.map { " (\($0))" } ?? ""
            return confirmed(.tlsModeMismatchImplicit, evidence: evidence,
                summary: "Port \(port) says nothing in plain text for \(wait) but completes a TLS handshake\(version): it wants TLS from the first byte (implicit TLS), and the client spoke plain text or STARTTLS.",
                remediation: [
                    "Set the mail program to SSL/TLS (implicit TLS) on port \(port).",
                    "Or use port 587 with STARTTLS, if the provider offers it.",
                ])
        }
        let trickle = s.bytesReceived > 0 ? " Only \(s.bytesReceived) bytes arrived, not a whole reply: the server trickles its greeting, as a tarpit does." : ""
        return confirmed(.bannerTimeout, evidence: evidence,
            summary: "Connected to \(s.address.bracketed):\(port), but no greeting arrived within \(wait)\(alt == nil ? "." : ", and a TLS handshake on the same port failed too.")\(trickle)",
            remediation: [
                "The server accepts connections but does not serve them: it may be overloaded, out of processes, or slow on purpose (a greeting delay or tarpit against spam).",
                "If a firewall, antivirus or proxy on your side intercepts mail traffic, it can accept the connection and then say nothing: try from another network.",
                "If you run the server: look at its log for this connection, its process limits, and slow DNS lookups it makes before greeting.",
            ])
    }

    static func judgeRejected(_ facts: Facts) -> Judgement {
        guard let s = session(facts) else { return notReached(facts) }
        let evidence = transcript(s)
        switch s.end {
        case .greetingRejected(let reply):
            let text = SafeText.clean(reply.wireLines.joined(separator: " "))
            if reply.isTransient {
                return confirmed(.serverBusy, evidence: evidence,
                    summary: "The server answered the connection with \(reply.code): \"\(text)\". It is busy or limiting this client for now.",
                    remediation: [
                        "Wait a few minutes and try again; a 4xx reply is temporary by definition (RFC 5321 4.2.1).",
                        "If it persists, this client may be rate-limited or greylisted: open fewer connections at once, and ask the provider.",
                    ])
            }
            return confirmed(.serviceRefused, evidence: evidence,
                summary: "The server refused service at the greeting with \(reply.code): \"\(text)\".",
                remediation: [
                    "The server does not accept connections from this address. Read its text: it often names a blocklist or a policy.",
                    "Use the provider's submission host and port (587 or 465) rather than a server's port 25, or ask the server's admin to allow this address.",
                ])
        case .closedByServer(.greeting) where s.bytesReceived == 0:
            return confirmed(.serviceRefused, evidence: evidence,
                summary: "The server closed the connection without a word, before any greeting.",
                remediation: [
                    "The server (or a filter in front of it, such as TCP wrappers or an access list) drops this client at once.",
                    "Ask the server's admin whether this address is allowed, or use the provider's submission host.",
                ])
        case .startTLSRefused(let reply) where reply.code == 421:
            // 421 closes the channel (RFC 5321 3.8): the server is busy or
            // shutting down; no TLS handshake was ever tried.
            let text = SafeText.clean(reply.wireLines.joined(separator: " "))
            return confirmed(.serverBusy, evidence: evidence,
                summary: "The server answered STARTTLS with 421 and closed the channel: \"\(text)\". It is busy or shutting down; no TLS handshake was tried.",
                remediation: [
                    "Try again in a few minutes; 421 is temporary by definition (RFC 5321 4.2.1).",
                    "If it persists, ask the provider: a server that closes on STARTTLS may be overloaded or limiting this client.",
                ])
        case .commandRejected(let command, let reply):
            let text = SafeText.clean(reply.wireLines.joined(separator: " "))
            return confirmed(reply.isTransient ? .serverBusy : .serviceRefused, evidence: evidence,
                summary: "The server rejected \(command) with \(reply.code): \"\(text)\".",
                remediation: ["Read the server's text; set a proper host name for EHLO in the client (some servers refuse bare or invalid names)."])
        default:
            return Judgement(.ruledOut, evidence: ["The greeting was a 220 welcome: \(SafeText.clean(s.greeting?.wireLines.first ?? "(none)"))"])
        }
    }

    static let slowThresholdMs = 2000

    static func judgeSlow(_ facts: Facts) -> Judgement {
        guard let s = session(facts) else { return notReached(facts) }
        guard let delay = s.greetingDelayMs else { return Judgement(.skipped, evidence: ["No greeting arrived, so its speed cannot be judged."]) }
        guard delay >= slowThresholdMs else {
            return Judgement(.ruledOut, evidence: ["The greeting came \(delay) ms after the connection."])
        }
        let needed = (delay / 1000 + 1) * 2
        return confirmed(.slowBanner, severity: .warning, evidence: transcript(s),
            summary: "The greeting took \(seconds(delay)) after the connection opened; clients with a shorter timeout give up before it.",
            remediation: [
                "Raise the mail program's connection or server timeout to at least \(max(needed, 30)) s (RFC 5321 4.5.3.2 suggests waiting up to 5 minutes for a greeting).",
                "If you run the server: a deliberate greeting delay (postscreen, \"sleep\" restrictions) or slow reverse DNS lookups cause this.",
            ], stop: false)
    }

    static func judgeProtocol(_ facts: Facts) -> Judgement {
        guard let s = session(facts) else { return notReached(facts) }
        let evidence = transcript(s)
        switch s.end {
        case .plaintextAfterStartTLS(let bytes):
            return confirmed(.startTLSPlaintextInjection, evidence: evidence,
                summary: "\(bytes) bytes of plain text arrived right after the server's \"220 ready to start TLS\", before the handshake. smtp-doctor stopped there.",
                remediation: [
                    "Something between you and the server injects plain text into the STARTTLS exchange (the CVE-2011-0411 class of attack), or the server is broken.",
                    "Do not send mail or passwords over this path; try from another network and report it to the server's admin.",
                ])
        case .protocolViolation(let stage, let detail):
            return confirmed(.smtpProtocolError, evidence: evidence,
                summary: "The server broke the SMTP protocol during \(stage.rawValue): \(SafeText.clean(detail)).",
                remediation: [
                    "This is not a mail server speaking SMTP on this port, or it is broken: check the host and port.",
                    "A proxy or firewall that rewrites mail traffic can cause this: try from another network.",
                ])
        case .closedByServer(let stage) where stage != .greeting && stage != .quit:
            return confirmed(.smtpProtocolError, evidence: evidence,
                summary: "The server hung up during \(stage.rawValue), before the conversation was over.",
                remediation: ["Read the server's log for this connection; a crash, a limit or a policy closes connections like this."])
        case .timedOut(let stage) where stage == .ehlo || stage == .helo:
            return confirmed(.smtpProtocolError, evidence: evidence,
                summary: "The server greeted but then did not answer \(stage.rawValue.uppercased()) within \(seconds(s.deadlines.commandMs)).",
                remediation: ["The server is stuck after the greeting: check its load and logs; a proxy in between can also swallow commands."])
        default:
            return Judgement(.ruledOut, evidence: ["The conversation followed the protocol (\(describe(s.end)))."])
        }
    }

    static func judgeStartTLS(_ facts: Facts) -> Judgement {
        guard let s = session(facts) else { return notReached(facts) }
        guard s.mode == .opportunistic || s.mode == .startTLS else {
            return Judgement(.skipped, evidence: ["The client uses \(s.mode == .implicit ? "implicit TLS" : "no TLS"), so STARTTLS does not apply."])
        }
        guard let offered = s.startTLSOffered else { return Judgement(.skipped, evidence: ["EHLO was not answered, so the offer is unknown."]) }
        let ehlo = (s.ehloBeforeTLS?.wireLines ?? []).map(SafeText.clean)
        if offered { return Judgement(.ruledOut, evidence: ["EHLO offers STARTTLS."] + ehlo) }
        let submission = s.port != 25 || s.mode == .startTLS
        return confirmed(.startTLSNotOffered, severity: submission ? .error : .warning, evidence: ehlo,
            summary: "EHLO on port \(s.port) lists no STARTTLS: the server offers no encryption on this port.",
            remediation: [
                "A client set to require STARTTLS stops here, and one that does not would send the password in clear.",
                "Use port 465 with implicit TLS if the provider offers it.",
                "If you run the server: enable STARTTLS (Postfix: smtpd_tls_security_level = may, with a certificate and key).",
            ])
    }

    static func judgeHandshake(_ facts: Facts) -> Judgement {
        guard let s = session(facts) else { return notReached(facts) }
        let evidence = transcript(s)
        let detail: String
        switch s.end {
        case .tlsFailed(_, let why): detail = "the TLS handshake failed: \(SafeText.clean(why))"
        case .timedOut(.tlsHandshake):
            detail = s.mode == .implicit
                ? "no TLS handshake completed within \(seconds(s.deadlines.tlsHandshakeMs))"
                : "the server accepted STARTTLS, then sent no TLS handshake within \(seconds(s.deadlines.tlsHandshakeMs)): the handshake stalls"
        case .timedOut(.startTLS): detail = "the server did not answer STARTTLS within \(seconds(s.deadlines.commandMs))"
        case .startTLSRefused(let reply): detail = "the server refused STARTTLS: \(reply.code) \(SafeText.clean(reply.text))"
        default:
            if s.tls != nil { return Judgement(.ruledOut, evidence: ["TLS was established\(s.tls?.version.map { " (\($0))" } ?? "")."]) }
            return Judgement(.skipped, evidence: ["No TLS handshake was attempted."])
        }
        return confirmed(.tlsHandshakeFailed, evidence: evidence,
            summary: "On port \(s.port), \(detail).",
            remediation: [
                "A firewall, antivirus or \"SMTP inspection\" device that meddles with TLS often causes this: try from another network.",
                "If you run the server: check its TLS settings (certificate and key readable, protocol versions) and its log for this connection.",
            ])
    }

    static func judgeCertificate(_ facts: Facts) -> Judgement {
        guard let s = session(facts) else { return notReached(facts) }
        guard let tls = s.tls else { return Judgement(.skipped, evidence: ["No certificate was presented (no TLS handshake got that far)."]) }
        let chain = tls.chain.enumerated().map { "certificate \($0.offset): \(SafeText.clean($0.element.evidenceLine))" }
        guard let problem = tls.problems.first else {
            let session = [tls.version, tls.cipherSuite].compactMap { $0 }.joined(separator: ", ")
            return Judgement(.ruledOut, evidence: ["Verified against \(tls.trustDescription)\(session.isEmpty ? "" : "; \(session)")."] + chain)
        }
        let dates = ISO8601DateFormatter()
        let evidence = chain + tls.problems.map(describe)
        switch problem {
        case .expired(let notAfter):
            return confirmed(.certExpired, evidence: evidence,
                summary: "The server's certificate expired on \(dates.string(from: notAfter)).",
                remediation: ["Renew the certificate and reload the mail server; verifying clients refuse it until then."])
        case .notYetValid(let notBefore):
            return confirmed(.certNotYetValid, evidence: evidence,
                summary: "The server's certificate is not valid before \(dates.string(from: notBefore)).",
                remediation: ["Check the clock of the server and of this machine; a certificate issued for a future date is refused until then."])
        case .hostnameMismatch(let host, let rawNames):
            let names = rawNames.map(SafeText.clean)
            let held = names.isEmpty ? "no DNS names at all" : names.joined(separator: ", ")
            return confirmed(.certHostnameMismatch, evidence: evidence,
                summary: "The certificate does not name \(host); it holds \(held).",
                remediation: [
                    names.first.map { "Connect with a name the certificate holds (\($0)), if it is the same server." } ?? "Get a certificate that names \(host).",
                    "Or get a certificate whose names include \(host).",
                ])
        case .selfSigned(let subject):
            return confirmed(.certUntrusted, evidence: evidence,
                summary: "The certificate is self-signed (\(SafeText.clean(subject))), so no client trusts it by default.",
                remediation: ["Use a certificate from a public CA, or install this one as trusted on every client (--ca-file tests with it)."])
        case .missingIntermediate(let issuer):
            return confirmed(.certUntrusted, evidence: evidence,
                summary: "The server sent only its own certificate; its issuer (\(SafeText.clean(issuer))) is not a trusted root, so the intermediate certificate is missing.",
                remediation: ["Configure the server to send the full chain (its certificate followed by the intermediate, e.g. fullchain.pem)."])
        case .unknownIssuer(let issuer, _):
            return confirmed(.certUntrusted, evidence: evidence,
                summary: "The certificate chain ends at \(SafeText.clean(issuer)), which is not trusted here.",
                remediation: ["Use a certificate from a public CA; for a private CA, install its root on the clients (--ca-file tests with it)."])
        }
    }

    static func describe(_ problem: CertificateProblem) -> String {
        let dates = ISO8601DateFormatter()
        switch problem {
        case .expired(let d): return "problem: expired on \(dates.string(from: d))"
        case .notYetValid(let d): return "problem: not valid before \(dates.string(from: d))"
        case .hostnameMismatch(let host, let names): return "problem: \(host) is not among the names \(SafeText.clean(names.joined(separator: ", ")))"
        case .selfSigned(let subject): return "problem: self-signed (\(SafeText.clean(subject)))"
        case .missingIntermediate(let issuer): return "problem: intermediate missing; issuer \(SafeText.clean(issuer)) is not a trusted root"
        case .unknownIssuer(let issuer, let detail): return "problem: unknown issuer \(SafeText.clean(issuer)) (\(SafeText.clean(detail)))"
        }
    }

    static func describe(_ end: SMTPSessionEnd) -> String {
        switch end {
        case .completed: return "a normal QUIT"
        case .greetingRejected(let r): return "a \(r.code) greeting"
        case .startTLSNotOffered: return "no STARTTLS offered"
        case .startTLSRefused(let r): return "STARTTLS refused with \(r.code)"
        case .plaintextAfterStartTLS: return "plain text after STARTTLS"
        case .commandRejected(let c, let r): return "\(c) rejected with \(r.code)"
        case .protocolViolation(let stage, _): return "a protocol violation during \(stage.rawValue)"
        case .timedOut(let stage): return "a timeout during \(stage.rawValue)"
        case .closedByServer(let stage): return "the server closing during \(stage.rawValue)"
        case .tlsFailed(let stage, _): return "a TLS failure during \(stage.rawValue)"
        case .connectFailed(let why): return "a failed connection (\(why))"
        case .authNotOffered: return "no AUTH offered"
        case .authWithheld: return "credentials withheld (certificate not verified)"
        case .plaintextAuthRefused: return "AUTH refused over plain text"
        case .authMechanismUnsupported: return "no usable AUTH mechanism"
        case .authRejected(let m, let r): return "AUTH \(m.rawValue) answered \(r.code)"
        case .envelopeRejected(let c, let r): return "\(c) answered \(r.code)"
        }
    }
}
