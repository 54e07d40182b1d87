@testable import MailAuth
import Probes
import XCTest
@testable import Diagnosis

/// Hand-built record-check observations for the spam family: example.com,
/// sending from 192.0.2.10 (documentation addresses), every check healthy
/// unless a test replaces one.
enum SpamFixture {
    static let domain = "example.com"
    static let ip = IPAddress("192.0.2.10")!
    static let ip6 = IPAddress("2001:db8::10")!
    static let sender = "postmaster@example.com"
    static let record = "v=spf1 mx -all"
    static let dnsServer = "192.0.2.53"

    /// Step ids of the spam family, in tree order.
    static let stepIDs = ["blocklists", "spf-record", "spf-authorized", "dkim-key", "dmarc-record",
                          "reverse-dns", "mx", "dmarc-policy", "bulk-sender"]

    static func target(domain: String? = domain, ip: IPAddress? = ip, selectors: [String] = ["s1"], helo: String? = nil) -> Target {
        var target = Target(host: domain ?? "example.com", port: 25)
        target.domain = domain
        target.sendingIP = ip
        target.dkimSelectors = selectors
        target.heloName = helo
        return target
    }

    static func lookup(_ name: String, _ type: DNSRecordType, _ outcome: DNSOutcome) -> DNSLookup {
        DNSLookup(name: name, type: type, server: dnsServer, outcome: outcome, elapsedMs: 4)
    }

    static func txt(_ name: String, _ records: String...) -> DNSLookup {
        lookup(name, .txt, .answer(records.map { .txt(strings: [$0]) }, canonicalName: nil))
    }

    // MARK: SPF

    /// The SPF observation: the whole-tree analysis (`problem`), and check_host()
    /// for `ip` when one is given (`result`, `authProblem`).
    static func spf(record: String? = record, problem: SPFProblem? = nil, result: SPFResult = .pass,
                    authProblem: SPFProblem? = nil, ip: IPAddress? = ip, lookups: [DNSLookup]? = nil) -> Observation {
        let tree = SPFTreeNode(domain: domain, via: "root", record: record, lookups: 1, totalLookups: 1)
        let analysis = SPFEvaluation(result: problem == nil ? .neutral : .permerror, problem: problem, lookups: 1, tree: tree)
        let authorization = ip.map { _ in
            SPFEvaluation(result: result, problem: authProblem, lookups: 1, matched: result == .pass ? "mx in \(domain)" : nil,
                          tree: tree, steps: ["evaluated \(domain)"])
        }
        return .spf(SPFCheck(domain: domain, sender: sender, sendingIP: ip, analysis: analysis, authorization: authorization,
                             lookups: lookups ?? [txt(domain, record ?? "google-site-verification=abc")]))
    }

    // MARK: DKIM

    static let key = DKIMKeyRecord(raw: "v=DKIM1; k=rsa; p=MIIBIjAN", publicKey: [1, 2, 3], keyBits: 2048)
    static let revoked = DKIMKeyRecord(raw: "v=DKIM1; p=", isRevoked: true)

    static func selector(_ name: String, _ outcome: DKIMSelectorResult.Outcome) -> DKIMSelectorResult {
        DKIMSelectorResult(selector: name, name: "\(name)._domainkey.\(domain)", outcome: outcome)
    }

    static func dkim(_ results: DKIMSelectorResult..., guessed: Bool = false, lookups: [DNSLookup] = []) -> Observation {
        .dkim(DKIMCheck(domain: domain, guessed: guessed, results: results, lookups: lookups))
    }

    // MARK: DMARC

    static func dmarcRecord(_ text: String) -> DMARCRecord {
        guard case .success(let record) = DMARCRecord.parse(text) else { preconditionFailure("not a valid DMARC record: \(text)") }
        return record
    }

    static func dmarcError(_ text: String) -> DMARCParseError {
        guard case .failure(let error) = DMARCRecord.parse(text) else { preconditionFailure("a valid DMARC record: \(text)") }
        return error
    }

    static func dmarc(_ discovery: DMARCDiscovery, domain: String = domain, lookups: [DNSLookup] = []) -> Observation {
        .dmarc(DMARCCheck(domain: domain, discovery: discovery, lookups: lookups))
    }

    static func dmarcFound(_ text: String = "v=DMARC1; p=reject; rua=mailto:dmarc@example.com") -> Observation {
        dmarc(.found(record: dmarcRecord(text), name: "_dmarc.\(domain)", organizationalFallback: false))
    }

    // MARK: blocklists

    static let zen = Blocklist.named("zen.spamhaus.org")
    static let spamcop = Blocklist.named("bl.spamcop.net")
    static let spamrats = Blocklist.named("all.spamrats.com")

    static func listed(_ list: Blocklist, _ verdict: BlocklistResult.Verdict, answers: [String] = [],
                       meanings: [String] = [], note: String? = nil) -> BlocklistResult {
        BlocklistResult(list: list, queryName: list.queryName(for: ip), verdict: verdict, answers: answers,
                        meanings: meanings, reason: nil, note: note, elapsedMs: 12)
    }

    static func blocklists(_ results: BlocklistResult..., address: IPAddress = ip) -> Observation {
        .blocklists(BlocklistScan(address: address, results: results, lookups: []))
    }

    // MARK: reverse DNS, MX

    static func reverse(_ verdict: ReverseDNSResult.Verdict, address: IPAddress = ip, ptr: [String] = ["mail.example.com"],
                        forward: [IPAddress]? = nil, helo: ReverseDNSResult.HeloCheck? = nil, failure: String? = nil,
                        lookups: [DNSLookup] = []) -> Observation {
        let names = verdict == .missing || verdict == .lookupFailed ? [] : ptr
        let addresses = forward ?? (verdict == .confirmed ? [address] : [IPAddress("192.0.2.99")!])
        let forwards = names.map { ReverseDNSResult.ForwardName(name: $0, addresses: addresses, failure: nil) }
        let result = ReverseDNSResult(address: address, reverseName: address.reverseName, verdict: verdict, ptrNames: names,
                                      forward: forwards, confirmedNames: verdict == .confirmed ? names : [], helo: helo, failure: failure)
        return .reverseDNS(ReverseDNSCheck(result: result, lookups: lookups))
    }

    static func mx(_ verdict: MXCheckResult.Verdict, failure: String? = nil, lookups: [DNSLookup] = []) -> Observation {
        let records = verdict == .present ? [MXRecord(preference: 10, exchange: "mail.example.com")]
            : verdict == .nullMX ? [MXRecord(preference: 0, exchange: "")] : []
        return .mx(MXCheck(result: MXCheckResult(domain: domain, verdict: verdict, records: records, unresolvable: [], failure: failure),
                           lookups: lookups))
    }

    /// What every probe sees for a domain in good order.
    static func healthy(_ kind: ProbeKind) -> Observation? {
        switch kind {
        case .spf: return spf()
        case .dkim: return dkim(selector("s1", .found(key)))
        case .dmarc: return dmarcFound()
        case .blocklists: return blocklists(listed(zen, .notListed), listed(spamcop, .notListed))
        case .reverseDNS: return reverse(.confirmed)
        case .mx: return mx(.present)
        case .dns, .tcpConnect, .smtp: return nil
        }
    }
}

extension DiagnosisRun {
    /// A spam diagnosis of `target`: every probe it asks for is answered with
    /// the given observation of its kind, or the healthy one.
    static func spam(_ target: Target = SpamFixture.target(), _ observations: Observation...,
                     file: StaticString = #filePath, line: UInt = #line) -> DiagnosisRun {
        var run = DiagnosisRun(target, symptom: .spam)
        var given: [ProbeKind: Observation] = [:]
        for observation in observations { given[observation.kind] = observation }
        var rounds = 0
        while run.state.phase == .running, let kind = run.state.pending.keys.sorted(by: { $0.rawValue < $1.rawValue }).first {
            guard let observation = given.removeValue(forKey: kind) ?? SpamFixture.healthy(kind) else {
                XCTFail("unexpected \(kind.rawValue) probe", file: file, line: line)
                break
            }
            run.answer(observation, file: file, line: line)
            rounds += 1
            if rounds > 20 { XCTFail("the run does not end", file: file, line: line); break }
        }
        XCTAssertEqual(run.state.phase, .finished, file: file, line: line)
        XCTAssertTrue(given.isEmpty, "never asked for: \(given.keys.map(\.rawValue))", file: file, line: line)
        return run
    }

    var causes: [Cause] { state.findings.map(\.cause) }

    func finding(_ cause: Cause) -> Finding? { state.findings.first { $0.cause == cause } }

    func status(_ id: String) -> StepStatus? { step(id)?.status }

    func evidence(_ id: String) -> [String] { step(id)?.evidence ?? [] }
}
