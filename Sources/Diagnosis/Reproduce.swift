import MailAuth
import Probes

/// The command lines a person can run elsewhere to see what a step saw
/// (swaks, `openssl s_client`, `dig`, `nc`), with this target's values filled
/// in and every value shell-quoted. No password is ever part of them: swaks
/// is given `--auth-user` without `--auth-password`, so it asks for it.
public enum Reproduce {
    /// One command and what it shows.
    public struct Command: Sendable, Hashable {
        public var purpose: String
        /// The words of the command, each already quoted for the shell.
        public var words: [String]

        public init(purpose: String, words: [String]) {
            self.purpose = purpose
            self.words = words
        }

        /// The command as one line.
        public var line: String { words.joined(separator: " ") }
    }

    /// POSIX shell quoting: a word of safe characters as it is, anything else
    /// in single quotes (a quote inside becomes `'\''`).
    public static func quote(_ value: String) -> String {
        let safe = value.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "@%+=:,./_-".unicodeScalars.contains($0)) }
        if safe && !value.isEmpty { return value }
        return "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The commands for the step that needs this probe kind.
    public static func commands(for probe: ProbeKind, facts: Facts) -> [Command] {
        let t = facts.target
        switch probe {
        case .dns:
            if case .success(.address) = TargetHost.parse(t.host) { return [] }
            let lookups = facts.resolution?.lookups ?? []
            if lookups.isEmpty { return [dig(t.host, .a, facts: facts), dig(t.host, .aaaa, facts: facts)] }
            return digs(lookups, facts: facts)
        case .tcpConnect:
            let server = connectHost(facts)
            let seconds = max(1, Int(t.timeoutSeconds.rounded(.up)))
            return t.portsToScan.map { port in
                let what = port == t.controlPort && !Target.smtpPorts.contains(port)
                    ? "Does port \(port) (not mail) answer? Tells a blocked network from a dead server."
                    : "Does port \(port) answer? nc gives up after \(seconds) s, as smtp-doctor did."
                return Command(purpose: what, words: ["nc", "-vz", "-w", String(seconds), quote(server), String(port)])
            }
        case .smtp:
            var lines = [swaks(facts, mode: t.smtpMode, primary: true)]
            if let openssl = openSSL(facts, mode: t.smtpMode) { lines.append(openssl) }
            if let alternate = facts.smtp?.alternate?.mode ?? alternateMode(t.smtpMode) {
                lines.append(swaks(facts, mode: alternate, primary: false))
            }
            return lines
        case .spf:
            guard let domain = t.domain else { return [] }
            return digs(facts.spf?.lookups ?? [], facts: facts, fallback: [(domain, .txt)])
        case .dkim:
            guard let domain = t.domain else { return [] }
            let selectors = t.dkimSelectors.isEmpty ? ["selector"] : t.dkimSelectors
            return digs(facts.dkim?.lookups ?? [], facts: facts, fallback: selectors.map { ("\($0)._domainkey.\(domain)", .txt) })
        case .dmarc:
            guard let domain = t.domain else { return [] }
            return digs(facts.dmarc?.lookups ?? [], facts: facts, fallback: [("_dmarc.\(domain)", .txt)])
        case .mx:
            guard let domain = t.domain else { return [] }
            return digs(facts.mx?.lookups ?? [], facts: facts, fallback: [(domain, .mx)])
        case .reverseDNS:
            guard let ip = t.sendingIP else { return [] }
            return digs(facts.reverseDNS?.lookups ?? [], facts: facts, fallback: [(ip.reverseName, .ptr)])
        case .blocklists:
            guard let ip = t.sendingIP else { return [] }
            let lists = t.dnsblZones.isEmpty ? Blocklist.defaults : t.dnsblZones.map(Blocklist.named)
            return digs(facts.blocklists?.lookups ?? [], facts: facts, fallback: lists.map { ($0.queryName(for: ip), .a) })
        }
    }

    // MARK: - dig

    /// The DNS server the probes asked, when one was given (--dns-server): dig must ask it too.
    static func dnsServer(_ facts: Facts) -> DNSServer? {
        var lookups = facts.resolution?.lookups ?? []
        lookups += facts.spf?.lookups ?? []
        lookups += facts.dkim?.lookups ?? []
        lookups += facts.dmarc?.lookups ?? []
        lookups += facts.mx?.lookups ?? []
        lookups += facts.reverseDNS?.lookups ?? []
        lookups += facts.blocklists?.lookups ?? []
        for lookup in lookups {
            let first = String(lookup.server.split(separator: ",").first ?? "")
            if case .success(let server) = DNSServer.parse(first) { return server }
        }
        return nil
    }

    static func dig(_ name: String, _ type: DNSRecordType, facts: Facts) -> Command {
        var words = ["dig"]
        if let server = dnsServer(facts) {
            words.append(quote("@\(server.address)"))
            if server.port != 53 { words += ["-p", String(server.port)] }
        }
        words += [quote(name), type.rawValue]
        return Command(purpose: "Ask for the \(type.rawValue) record of \(name) as smtp-doctor did.", words: words)
    }

    /// One dig per distinct lookup (name and type), in the order they were made.
    static func digs(_ lookups: [DNSLookup], facts: Facts, fallback: [(String, DNSRecordType)] = []) -> [Command] {
        var seen = Set<String>()
        var pairs: [(String, DNSRecordType)] = lookups.map { ($0.name, $0.type) }
        if pairs.isEmpty { pairs = fallback }
        return pairs.compactMap { name, type in
            guard seen.insert("\(name.lowercased()) \(type.rawValue)").inserted else { return nil }
            return dig(name, type, facts: facts)
        }
    }

    // MARK: - SMTP

    /// Where to connect: the address the probes used when the name came from
    /// a DNS server of its own (this machine's resolver may not know it), else the name.
    static func connectHost(_ facts: Facts) -> String {
        let t = facts.target
        if dnsServer(facts) != nil,
           let address = (facts.resolution?.addresses ?? []).first(where: { t.family.allows($0.family) }) {
            return address.description
        }
        return t.host
    }

    /// The host name certificates are checked against (nil when the target is an address).
    static func serverName(_ facts: Facts) -> String? {
        if case .success(.address) = TargetHost.parse(facts.target.host) { return nil }
        return facts.target.host
    }

    static func alternateMode(_ mode: SMTPTLSMode) -> SMTPTLSMode? {
        mode == .implicit ? .plain : .implicit
    }

    static func swaks(_ facts: Facts, mode: SMTPTLSMode, primary: Bool) -> Command {
        let t = facts.target
        let host = connectHost(facts)
        var words = ["swaks", "--server", quote(host), "--port", String(t.port)]
        switch mode {
        case .implicit: words.append("--tls-on-connect")
        case .startTLS: words.append("--tls")
        case .opportunistic: words.append("--tls-optional-strict")
        case .plain: break
        }
        if mode != .plain, let name = serverName(facts), name != host { words += ["--tls-sni", quote(name)] }
        if let helo = t.heloName { words += ["--ehlo", quote(helo)] }
        words += ["--timeout", "\(max(1, Int(t.timeoutSeconds.rounded(.up))))s"]
        var purpose: String
        if primary, let user = t.user {
            // --auth-user without --auth-password: swaks asks for the password, which never appears here.
            let session = facts.smtp?.primary
            let mechanism = session?.authMechanism?.rawValue
            words.append("--auth")
            if let mechanism { words.append(mechanism) }
            words += ["--auth-user", quote(user)]
            if let from = t.mailFrom, let to = t.rcptTo {
                words += ["--from", quote(from), "--to", quote(to), "--quit-after", "RCPT"]
            } else {
                words += ["--quit-after", "AUTH"]
            }
            purpose = "The same conversation with the login; swaks asks for the password (it is never written here)."
        } else {
            words += ["--quit-after", "EHLO"]
            purpose = primary ? "The same SMTP conversation, in the TLS mode your client uses."
                : "The same port in the opposite TLS mode (smtp-doctor tried it at the same time)."
        }
        return Command(purpose: purpose, words: words)
    }

    static func openSSL(_ facts: Facts, mode: SMTPTLSMode) -> Command? {
        guard mode != .plain else { return nil }
        let host = connectHost(facts)
        let endpoint = host.contains(":") ? "[\(host)]:\(facts.target.port)" : "\(host):\(facts.target.port)"
        var words = ["openssl", "s_client"]
        if mode != .implicit { words += ["-starttls", "smtp"] }
        words += ["-connect", quote(endpoint)]
        if let name = serverName(facts) { words += ["-servername", quote(name)] }
        return Command(purpose: "The TLS handshake and the certificate chain, as the server presents them.", words: words)
    }
}
