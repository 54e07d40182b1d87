import Diagnosis
import MailAuth
import Probes
import X509

/// The probe client that talks to the real network.
enum LiveProbeClient {
    /// The trust anchors for certificate checks: the system's, plus --ca-file.
    struct Trust: Sendable {
        var roots: CertificateStore
        var description: String
    }

    static func make(resolver: Resolver, sourceIP: IPAddress?, trust: Trust, helo: String,
                     credentials: SMTPCredentials? = nil) -> ProbeClient {
        make(resolver: resolver, sourceIP: sourceIP, trust: trust, helo: helo, credentials: { credentials })
    }

    /// As above, with the credentials read when each session starts (the wizard's form sets them).
    static func make(resolver: Resolver, sourceIP: IPAddress?, trust: Trust, helo: String,
                     credentials: @escaping @Sendable () -> SMTPCredentials?) -> ProbeClient {
        ProbeClient { request in
            switch request {
            case .resolveHost(let host, _):
                // Both families are always asked (at once): "only IPv6 exists" is worth saying under -4.
                let lookups = await resolver.lookupAll([(host, .a), (host, .aaaa)])
                return .resolution(HostResolution(host: host, lookups: lookups))
            case .scanPorts(let addresses, let ports, let timeoutSeconds):
                let targets = addresses.flatMap { address in ports.map { ConnectTarget(address: address, port: $0) } }
                let deadline = Duration.milliseconds(Int(timeoutSeconds * 1000))
                let results = await TCPProbe.probe(targets, deadline: deadline, sourceAddress: sourceIP)
                return .portScan(PortScan(results: results, deadlineMs: deadline.milliseconds))
            case .smtpSession(let session):
                // The session as the person's client would hold it, and its opposite-TLS twin, at once.
                func config(_ mode: SMTPTLSMode) -> SMTPProbe.Configuration {
                    SMTPProbe.Configuration(address: session.address, port: session.port, mode: mode, serverName: session.serverName,
                                            helo: helo, deadlines: session.deadlines,
                                            trustRoots: trust.roots, trustDescription: trust.description)
                }
                // Only the session as the person's client holds it logs in; the twin never gets the secret.
                var main = config(session.mode)
                if session.authenticate { main.credentials = credentials() }
                main.envelope = session.envelope
                async let primary = SMTPProbe.run(main)
                if let alternate = session.alternate {
                    async let twin = SMTPProbe.run(config(alternate))
                    return .smtp(SMTPCheck(primary: await primary, alternate: await twin))
                }
                return .smtp(SMTPCheck(primary: await primary))
            default:
                return await runRecordCheck(request, resolver: resolver)
            }
        }
    }

    /// The spam family's record checks: each keeps the lookups it made as evidence.
    static func runRecordCheck(_ request: ProbeRequest, resolver: Resolver) async -> Observation {
        let dns = ResolverMailDNS(resolver: resolver)
        switch request {
        case .spf(let domain, let ip, let sender, let helo):
            let evaluator = SPFEvaluator(dns: dns)
            async let analysis = evaluator.analyze(domain: domain)
            async let authorization: SPFEvaluation? = {
                guard let ip else { return nil }
                return await evaluator.checkHost(ip: ip, domain: domain, sender: sender, helo: helo)
            }()
            let (tree, check) = await (analysis, authorization)
            return .spf(SPFCheck(domain: domain, sender: sender, sendingIP: ip, analysis: tree,
                                 authorization: check, lookups: dns.lookups))
        case .dkim(let domain, let selectors):
            let guessed = selectors.isEmpty
            let results = await DKIMKeyLookup.lookup(selectors: guessed ? DKIMKeyLookup.commonSelectors : selectors,
                                                     domain: domain, dns: dns)
            return .dkim(DKIMCheck(domain: domain, guessed: guessed, results: results, lookups: dns.lookups))
        case .dmarc(let domain):
            let discovery = await DMARCLookup.discover(for: domain, dns: dns)
            return .dmarc(DMARCCheck(domain: domain, discovery: discovery, lookups: dns.lookups))
        case .blocklists(let address, let zones):
            let lists = zones.isEmpty ? Blocklist.defaults : zones.map(Blocklist.named)
            let results = await BlocklistCheck.run(address: address, lists: lists, dns: dns)
            return .blocklists(BlocklistScan(address: address, results: results, lookups: dns.lookups))
        case .reverseDNS(let address, let helo):
            let result = await ReverseDNSResult.check(address: address, helo: helo, dns: dns)
            return .reverseDNS(ReverseDNSCheck(result: result, lookups: dns.lookups))
        case .mx(let domain):
            let result = await MXCheckResult.check(domain: domain, dns: dns)
            return .mx(MXCheck(result: result, lookups: dns.lookups))
        case .resolveHost, .scanPorts, .smtpSession:
            preconditionFailure("not a record check: \(request.probeName)")
        }
    }
}
