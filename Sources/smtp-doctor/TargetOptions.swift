import ArgumentParser
import Diagnosis
import MailAuth
import Probes
import X509

/// The target options every command shares (DESIGN.md, "Contract: command line").
struct TargetOptions: ParsableArguments {
    @Option(help: "The symptom to diagnose: refused, auth, timeout, spam or all.")
    var symptom: String = "refused"

    @Option(help: "The mail server's host name or IP address.")
    var host: String?

    @Option(help: "The port the mail program uses.")
    var port: Int = 587

    @Option(help: "How the client starts TLS: auto, starttls, implicit or none.")
    var tls: String = "auto"

    @Option(help: "A non-SMTP port on the same host, tried to tell a blocked network from a dead server.")
    var controlPort: Int = 443

    @Option(help: "Send every DNS lookup (host names included) to this server: IP or IP:PORT, IPv6 as [IP]:PORT.")
    var dnsServer: String?

    @Option(help: "A PEM file of extra trust anchors for certificate checks (a private CA).")
    var caFile: String?

    @Option(help: "The name to give in EHLO/HELO (spam family: the sending server's HELO name, checked against its reverse DNS).")
    var helo: String?

    @Option(help: "The sender's domain (spam family): SPF, DKIM, DMARC and MX are checked for it.")
    var domain: String?

    @Option(help: "The address your mail leaves from (spam family): SPF authorisation, blocklists, reverse DNS.")
    var sendingIP: String?

    @Option(help: "A DKIM selector to look up (repeatable; default: the common ones).")
    var dkimSelector: [String] = []

    @Option(help: "A DNS blocklist zone to ask (repeatable; replaces the default list).")
    var dnsbl: [String] = []

    @Option(help: "Bind outgoing connections to this local address.")
    var sourceIP: String?

    @Option(help: "Deadline in seconds for each stage (a lookup, a connection attempt).")
    var timeout: Double = 5

    @Option(help: "Deadline in seconds for a TCP connection (default: --timeout).")
    var connectTimeout: Double?

    @Option(help: "Deadline in seconds for the server's greeting (default: --timeout).")
    var greetingTimeout: Double?

    @Option(help: "Deadline in seconds for each command's reply (default: --timeout).")
    var commandTimeout: Double?

    @Option(help: "Deadline in seconds for a TLS handshake (default: --timeout).")
    var tlsTimeout: Double?

    @Option(help: "The user name to log in with (AUTH).")
    var user: String?

    @Option(help: "Read the password (or OAuth token) from this environment variable.")
    var passwordEnv: String?

    @Option(help: "Read the password (or OAuth token) from the first line of this file.")
    var passwordFile: String?

    @Option(help: .hidden)
    var password: String?

    @Option(help: "Force an AUTH mechanism: PLAIN, LOGIN, CRAM-MD5 or XOAUTH2 (the token as the password).")
    var authMechanism: String?

    @Flag(help: "Allow sending credentials over a connection without TLS.")
    var allowPlaintextAuth = false

    @Option(help: "Try MAIL FROM with this address after AUTH (QUIT comes before DATA: no message is sent).")
    var mailFrom: String?

    @Option(help: "Try RCPT TO with this address after MAIL FROM.")
    var rcptTo: String?

    @Flag(name: .customShort("4"), help: "Use IPv4 only.")
    var ipv4Only = false

    @Flag(name: .customShort("6"), help: "Use IPv6 only.")
    var ipv6Only = false

    @Option(help: "Append a diagnostic log to this file: runs, each probe's start, end and duration, verdicts (never a password).")
    var log: String?

    /// The --log file, opened for appending (nil without --log).
    func openLog() throws -> DiagnosticLog? {
        try log.map { try DiagnosticLog(path: $0) }
    }

    /// The options checked and turned into the engine's types.
    struct Resolved {
        var target: Target
        var symptom: Symptom
        var dnsServer: DNSServer?
        var sourceIP: IPAddress?
        var trust: LiveProbeClient.Trust
        var helo: String
        var credentials: SMTPCredentials?
    }

    /// The trust anchors: the system store plus --ca-file, checked now so a bad file is a usage error.
    func trust() throws -> LiveProbeClient.Trust {
        var roots = CertificateStore.systemTrustRoots
        var description = "the system trust store"
        if let caFile {
            let extra: [Certificate]
            do {
                extra = try TLSInspector.loadPEM(caFile)
            } catch {
                throw ValidationError("cannot read --ca-file \"\(SafeArgument.show(caFile))\": not a readable PEM file of certificates")
            }
            guard !extra.isEmpty else { throw ValidationError("--ca-file \"\(SafeArgument.show(caFile))\" holds no certificate") }
            roots = roots.appending(contentsOf: extra)
            description += " and \(extra.count) certificate\(extra.count == 1 ? "" : "s") from \(SafeArgument.show(caFile))"
        }
        return LiveProbeClient.Trust(roots: roots, description: description)
    }

    var stageOverrides: Target.StageOverrides {
        Target.StageOverrides(connect: connectTimeout, greeting: greetingTimeout, command: commandTimeout, tlsHandshake: tlsTimeout)
    }

    /// The credentials, read from the environment, a file or a hidden prompt; never from argv.
    func credentials() throws -> SMTPCredentials? {
        for address in [mailFrom, rcptTo].compactMap({ $0 }) where !Self.plausibleAddress(address) {
            throw ValidationError("\"\(SafeArgument.show(address))\" is not an e-mail address (local@domain)")
        }
        if (mailFrom == nil) != (rcptTo == nil) { throw ValidationError("--mail-from and --rcpt-to go together") }
        var mechanism: SASLMechanism?
        if let authMechanism {
            guard let m = SASLMechanism(rawValue: authMechanism.uppercased()) else {
                throw ValidationError("unknown AUTH mechanism \"\(SafeArgument.show(authMechanism))\"; choose PLAIN, LOGIN, CRAM-MD5 or XOAUTH2")
            }
            mechanism = m
        }
        guard let user else {
            if passwordEnv != nil || passwordFile != nil { throw ValidationError("a password needs --user NAME") }
            return nil
        }
        guard !user.isEmpty, !user.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
            throw ValidationError("the user name is empty or holds control characters")
        }
        let secret = try PasswordSource.read(env: passwordEnv, file: passwordFile, user: user)
        return SMTPCredentials(user: user, secret: secret, mechanism: mechanism, allowPlaintext: allowPlaintextAuth)
    }

    /// The forced AUTH mechanism, checked.
    func credentialsMechanism() throws -> SASLMechanism? {
        guard let authMechanism else { return nil }
        guard let m = SASLMechanism(rawValue: authMechanism.uppercased()) else {
            throw ValidationError("unknown AUTH mechanism \"\(SafeArgument.show(authMechanism))\"; choose PLAIN, LOGIN, CRAM-MD5 or XOAUTH2")
        }
        return m
    }

    static func plausibleAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && text.utf8.count <= 254
            && !text.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7f || "<>".unicodeScalars.contains($0) }
    }

    /// The resolver for every lookup: --dns-server or the system's, with the stage deadline.
    static func makeResolver(_ server: DNSServer?, timeout: Double) throws -> Resolver {
        try Resolver(.init(servers: server.map { [$0] } ?? [], timeout: .milliseconds(Int(timeout * 1000))))
    }

    /// The EHLO name used when none is given.
    static let defaultHelo = "smtp-doctor.invalid"

    /// Checks the EHLO name: a host name or an address literal in brackets.
    func validatedHelo() throws -> String {
        guard let helo else { return Self.defaultHelo }
        if helo.hasPrefix("["), helo.hasSuffix("]"), IPAddress(helo) != nil { return helo }
        guard case .success(.name(let name)) = TargetHost.parse(helo) else {
            throw ValidationError("invalid --helo \"\(SafeArgument.show(helo))\": use a host name or [address]")
        }
        return name
    }

    func resolveSymptom() throws -> Symptom {
        if symptom == "all" { return .timeout }
        guard let value = Symptom(rawValue: symptom), value != .explain else {
            throw ValidationError("unknown symptom \"\(symptom)\"; choose refused, auth, timeout, spam or all")
        }
        guard value.isBuilt else {
            throw ValidationError("the \(value.rawValue) family is not built yet in this version; built: refused, timeout (or all)")
        }
        return value
    }

    func validateCommon() throws -> (TLSMode, DNSServer?, IPAddress?) {
        if password != nil {
            throw ValidationError("a password on the command line is visible to other users (ps, shell history); use --password-env VAR, --password-file PATH or the prompt")
        }
        guard (1...65535).contains(port) else { throw ValidationError("port \(port) is out of range; use 1 to 65535") }
        guard (1...65535).contains(controlPort) else { throw ValidationError("control port \(controlPort) is out of range; use 1 to 65535") }
        for (name, value) in [("timeout", timeout), ("connect timeout", connectTimeout), ("greeting timeout", greetingTimeout),
                              ("command timeout", commandTimeout), ("TLS timeout", tlsTimeout)] {
            guard let value else { continue }
            guard value > 0, value <= 600, value.isFinite else {
                throw ValidationError("\(name) \(value) is out of range; use more than 0 and at most 600 seconds")
            }
        }
        guard !(ipv4Only && ipv6Only) else { throw ValidationError("-4 and -6 exclude each other") }
        guard let mode = TLSMode(rawValue: tls) else { throw ValidationError("unknown TLS mode \"\(tls)\"; choose auto, starttls, implicit or none") }
        var server: DNSServer?
        if let dnsServer {
            switch DNSServer.parse(dnsServer) {
            case .success(let s): server = s
            case .failure(let problem): throw ValidationError("invalid --dns-server: \(problem)")
            }
        }
        var source: IPAddress?
        if let sourceIP {
            guard let ip = IPAddress(sourceIP) else { throw ValidationError("invalid --source-ip \"\(sourceIP)\": not an IP address") }
            source = ip
        }
        return (mode, server, source)
    }

    /// Checks every option; a host is required, except for the spam family,
    /// which needs a domain (or a sender address to take it from).
    func resolved() throws -> Resolved {
        let symptom = try resolveSymptom()
        let (mode, server, source) = try validateCommon()
        if symptom == .spam { return try resolvedSpam(server: server, source: source) }
        guard let host else { throw ValidationError("give the mail server with --host NAME") }
        let parsed: TargetHost
        switch TargetHost.parse(host) {
        case .success(let h): parsed = h
        case .failure(let problem): throw ValidationError("invalid host \"\(SafeArgument.show(host))\": \(problem)")
        }
        let family: FamilyPreference = ipv4Only ? .ipv4Only : (ipv6Only ? .ipv6Only : .any)
        var target = Target(host: parsed.description, port: port, tls: mode, controlPort: controlPort,
                            family: family, timeoutSeconds: timeout)
        target.stageOverrides = stageOverrides
        // Only the authentication family logs in or tries an envelope; the others never send a secret.
        if symptom == .auth {
            target.user = user
            target.mailFrom = mailFrom
            target.rcptTo = rcptTo
        }
        if symptom == .auth, user == nil { throw ValidationError("the auth family needs --user NAME (and --password-env, --password-file or the prompt)") }
        return Resolved(target: target, symptom: symptom, dnsServer: server, sourceIP: source,
                        trust: try trust(), helo: try validatedHelo(), credentials: symptom == .auth ? try credentials() : nil)
    }
}

extension TargetOptions {
    /// The spam family's options: the domain, the sending address, selectors, blocklists.
    func resolvedSpam(server: DNSServer?, source: IPAddress?) throws -> Resolved {
        if let mailFrom, !Self.plausibleAddress(mailFrom) {
            throw ValidationError("\"\(SafeArgument.show(mailFrom))\" is not an e-mail address (local@domain)")
        }
        guard let given = domain ?? mailFrom.flatMap({ $0.split(separator: "@").last.map(String.init) }) else {
            throw ValidationError("the spam family needs the sender's domain: --domain example.com (and --sending-ip ADDRESS to check the server)")
        }
        guard case .success(.name(let name)) = TargetHost.parse(given), name.contains(".") else {
            throw ValidationError("invalid --domain \"\(SafeArgument.show(given))\": give a domain name such as example.com")
        }
        var target = Target(host: host ?? name, port: port, tls: .auto, controlPort: controlPort, timeoutSeconds: timeout)
        target.domain = name.lowercased()
        target.mailFrom = mailFrom
        if let sendingIP {
            guard let ip = IPAddress(sendingIP) else {
                throw ValidationError("invalid --sending-ip \"\(SafeArgument.show(sendingIP))\": not an IP address")
            }
            target.sendingIP = ip
        }
        for selector in dkimSelector {
            let labels = selector.split(separator: ".", omittingEmptySubsequences: false)
            guard !selector.isEmpty, selector.utf8.count <= 200, labels.allSatisfy({ label in
                !label.isEmpty && label.utf8.count <= 63
                    && label.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
            }) else {
                throw ValidationError("invalid --dkim-selector \"\(SafeArgument.show(selector))\": letters, digits, - and _ in dot-separated labels")
            }
        }
        target.dkimSelectors = dkimSelector.map { $0.lowercased() }
        for zone in dnsbl {
            if let problem = Blocklist.validateZone(zone) { throw ValidationError("invalid --dnsbl: \(SafeArgument.clean(problem))") }
        }
        target.dnsblZones = dnsbl.map { $0.lowercased() }
        if helo != nil { target.heloName = try validatedHelo() }
        return Resolved(target: target, symptom: .spam, dnsServer: server, sourceIP: source,
                        trust: try trust(), helo: try validatedHelo(), credentials: nil)
    }
}

/// Shows an argument in a message without letting control characters through.
enum SafeArgument {
    static func show(_ text: String) -> String {
        String(clean(text).prefix(80))
    }

    /// Replaces control characters (escape sequences above all) with "?".
    static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || (0x7f..<0xa0).contains($0.value) ? "?" : $0 }))
    }
}
