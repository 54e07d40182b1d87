import Foundation
@testable import Probes
import XCTest
@testable import Diagnosis

/// Hand-built observations for reducer tests: documentation addresses only
/// (192.0.2.0/24, 2001:db8::/32), no network anywhere.
enum Fixture {
    static let host = "mail.example.com"
    static let dnsServer = "192.0.2.53"
    static let v4 = IPAddress("192.0.2.10")!
    static let v4b = IPAddress("192.0.2.11")!
    static let v6 = IPAddress("2001:db8::10")!
    static let firewall = "192.0.2.254"

    /// ICMP 3/13: a firewall rejected the packet.
    static let adminProhibited = ICMPReport(version: 4, type: 3, code: 13, from: firewall)
    /// ICMP 3/1: no route to the host.
    static let hostUnreachableICMP = ICMPReport(version: 4, type: 3, code: 1, from: firewall)

    static func lookup(_ type: DNSRecordType, _ outcome: DNSOutcome, name: String = host) -> DNSLookup {
        DNSLookup(name: name, type: type, server: dnsServer, outcome: outcome, elapsedMs: 3)
    }

    static func answer(_ addresses: IPAddress..., cname: String? = nil) -> DNSOutcome {
        .answer(addresses.map { .address($0, ttl: 300) }, canonicalName: cname)
    }

    static func resolution(_ lookups: DNSLookup..., host: String = host) -> Observation {
        .resolution(HostResolution(host: host, lookups: lookups))
    }

    /// A and AAAA both answered with the given addresses.
    static func resolved(_ addresses: IPAddress...) -> Observation {
        let v4s = addresses.filter { $0.family == .ipv4 }
        let v6s = addresses.filter { $0.family == .ipv6 }
        return .resolution(HostResolution(host: host, lookups: [
            lookup(.a, v4s.isEmpty ? .noData : .answer(v4s.map { .address($0, ttl: 300) }, canonicalName: nil)),
            lookup(.aaaa, v6s.isEmpty ? .noData : .answer(v6s.map { .address($0, ttl: 300) }, canonicalName: nil)),
        ]))
    }

    static func probe(_ address: IPAddress, _ port: Int, _ state: PortState,
                      icmp: ICMPReport? = nil, blockedLocally: Bool = false) -> PortProbeResult {
        let errno: String?
        switch state {
        case .open, .filtered: errno = nil
        case .refused: errno = "ECONNREFUSED"
        case .unreachable: errno = blockedLocally ? "EPERM" : (icmp?.isAdministrativelyProhibited == true ? "EACCES" : "EHOSTUNREACH")
        }
        let elapsed = state == .filtered ? 5000 : 1
        return PortProbeResult(address: address, port: port, state: state, errno: errno, icmp: icmp,
                               elapsedMs: elapsed, blockedLocally: blockedLocally)
    }

    /// Every port of `target.portsToScan` on `address`: `states` where given, else `otherwise`.
    static func results(_ target: Target, on address: IPAddress, _ states: [Int: PortState] = [:],
                        otherwise: PortState = .filtered, icmp: ICMPReport? = nil,
                        blockedLocally: Bool = false) -> [PortProbeResult] {
        target.portsToScan.map { port in
            let state = states[port] ?? otherwise
            return probe(address, port, state, icmp: state == .unreachable ? icmp : nil,
                         blockedLocally: state == .unreachable && blockedLocally)
        }
    }

    static func scan(_ results: [PortProbeResult]...) -> Observation {
        .portScan(PortScan(results: results.flatMap { $0 }, deadlineMs: 5000))
    }

    static func smtpRequest(_ target: Target, address: IPAddress = v4) -> ProbeRequest {
        let mode = target.smtpMode
        return .smtpSession(SMTPSessionRequest(address: address, port: target.port, mode: mode, alternate: mode == .implicit ? .plain : .implicit,
                                               serverName: target.host, deadlines: target.deadlines))
    }

    static func scanRequest(_ target: Target, _ addresses: IPAddress...) -> ProbeRequest {
        .scanPorts(addresses: addresses, ports: target.portsToScan, timeoutSeconds: target.timeoutSeconds)
    }
}

/// Hand-built SMTP sessions: what `SMTPProbe` would have observed.
extension Fixture {
    static let greeting = SMTPReply(code: 220, lines: ["mail.example.com ESMTP ready"])
    static let ehlo = SMTPReply(code: 250, lines: ["mail.example.com", "PIPELINING", "SIZE 10240000", "STARTTLS", "8BITMIME"])
    static let ehloWithoutStartTLS = SMTPReply(code: 250, lines: ["mail.example.com", "PIPELINING", "8BITMIME"])
    static let ehloAfterTLS = SMTPReply(code: 250, lines: ["mail.example.com", "PIPELINING", "AUTH PLAIN LOGIN", "8BITMIME"])
    static let validFrom = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01
    static let validTo = Date(timeIntervalSince1970: 1_798_761_600)    // 2027-01-01
    static let leaf = CertificateSummary(subject: "CN=mail.example.com", issuer: "CN=Example Issuing CA", dnsNames: [host],
                                         notBefore: validFrom, notAfter: validTo, selfIssued: false)

    static func tls(_ problems: [CertificateProblem] = [], chain: [CertificateSummary] = [leaf]) -> TLSObservation {
        TLSObservation(version: "TLSv1.3", chain: chain, problems: problems, trustDescription: "the system trust store")
    }

    /// A transcript written in swaks notation: "=== ", "*** ", "-> ", "~> ", "<- ", "<~ ".
    static func transcript(_ lines: [String]) -> [TranscriptLine] {
        lines.enumerated().map { index, line in
            let marker = line.prefix(while: { $0 != " " })
            let text = String(line.dropFirst(marker.count + 1))
            let (direction, encrypted): (TranscriptLine.Direction, Bool) = switch marker {
            case "->": (.sent, false)
            case "~>": (.sent, true)
            case "<-": (.received, false)
            case "<~": (.received, true)
            case "***": (.error, false)
            default: (.info, false)
            }
            return TranscriptLine(direction: direction, encrypted: encrypted, offsetMs: index * 10, text: text)
        }
    }

    /// One session; every field has the value of a healthy STARTTLS session on 587.
    static func session(_ mode: SMTPTLSMode = .opportunistic, port: Int = 587, address: IPAddress = v4, end: SMTPSessionEnd = .completed,
                        greeting: SMTPReply? = greeting, delayMs: Int? = 40, ehlo: SMTPReply? = ehlo,
                        ehloAfterTLS: SMTPReply? = ehloAfterTLS, tls: TLSObservation? = tls(), firstBytes: String? = nil,
                        bytes: Int? = nil, transcript lines: [String]? = nil) -> SMTPSessionObservation {
        let first = Array((firstBytes ?? greeting.map { $0.wireLines.joined(separator: "\r\n") + "\r\n" } ?? "").utf8.prefix(64))
        let lines = lines ?? [
            "=== Trying \(address.bracketed):\(port) (\(mode.rawValue))", "=== Connected (3 ms)",
        ] + (greeting?.wireLines.map { "<- \($0)" } ?? [])
        return SMTPSessionObservation(
            address: address, port: port, mode: mode, end: end, connectMs: 3, greeting: greeting, greetingDelayMs: greeting == nil ? nil : delayMs,
            ehloBeforeTLS: ehlo, ehloAfterTLS: ehloAfterTLS, tls: tls, firstBytes: first, bytesReceived: bytes ?? (greeting == nil ? first.count : 600),
            transcript: transcript(lines), elapsedMs: 180, deadlines: StageDeadlines(allMs: 5000))
    }

    /// 220, EHLO offering STARTTLS, STARTTLS, a verified TLS 1.3 chain, EHLO again, QUIT.
    static func healthySession(address: IPAddress = v4, port: Int = 587, mode: SMTPTLSMode = .opportunistic) -> SMTPSessionObservation {
        if mode == .implicit {
            return session(.implicit, port: port, address: address, ehlo: nil, firstBytes: "\u{16}\u{03}\u{03}", transcript: [
                "=== Trying \(address.bracketed):\(port) (implicit)", "=== Connected (3 ms)", "=== TLS established (TLSv1.3)",
                "<~ 220 mail.example.com ESMTP ready", "~> EHLO smtp-doctor.invalid",
            ] + ehloAfterTLS.wireLines.map { "<~ \($0)" } + ["~> QUIT", "<~ 221 2.0.0 Bye"])
        }
        return session(mode, port: port, address: address, transcript: [
            "=== Trying \(address.bracketed):\(port) (\(mode.rawValue))", "=== Connected (3 ms)",
            "<- 220 mail.example.com ESMTP ready", "-> EHLO smtp-doctor.invalid",
        ] + ehlo.wireLines.map { "<- \($0)" } + [
            "-> STARTTLS", "<- 220 2.0.0 Ready to start TLS", "=== TLS established (TLSv1.3)", "~> EHLO smtp-doctor.invalid",
        ] + ehloAfterTLS.wireLines.map { "<~ \($0)" } + ["~> QUIT", "<~ 221 2.0.0 Bye"])
    }

    /// What the opposite TLS mode sees on a healthy port: it fails, as it should.
    static func oppositeModeFails(address: IPAddress = v4, port: Int = 587, mode: SMTPTLSMode) -> SMTPSessionObservation {
        mode == .implicit
            ? session(.implicit, port: port, address: address, end: .tlsFailed(stage: .tlsHandshake, detail: "wrong version number"),
                      greeting: nil, ehlo: nil, ehloAfterTLS: nil, tls: nil, firstBytes: "220 mail.example.com ESMTP ready\r\n",
                      transcript: ["=== Trying \(address.bracketed):\(port) (implicit)", "=== Connected (3 ms)", "*** TLS handshake failed: wrong version number"])
            : session(mode, port: port, address: address, end: .timedOut(stage: .greeting), greeting: nil, ehlo: nil, ehloAfterTLS: nil,
                      tls: nil, firstBytes: "", bytes: 0,
                      transcript: ["=== Trying \(address.bracketed):\(port) (\(mode.rawValue))", "=== Connected (3 ms)", "*** no answer within 5000 ms during greeting"])
    }

    static func smtp(_ primary: SMTPSessionObservation, alternate: SMTPSessionObservation? = nil) -> Observation {
        .smtp(SMTPCheck(primary: primary, alternate: alternate))
    }

    /// The healthy answer to an SMTP request: the verdict stays what the connection steps said.
    static func healthySMTP(for request: ProbeRequest) -> Observation {
        guard case .smtpSession(let r) = request else { preconditionFailure("not an SMTP request: \(request)") }
        return smtp(healthySession(address: r.address, port: r.port, mode: r.mode),
                    alternate: r.alternate.map { oppositeModeFails(address: r.address, port: r.port, mode: $0) })
    }
}

/// One diagnosis driven by hand: start it, answer the probes it asks for with
/// the requests it asked for (several may be outstanding at once), read the state.
struct DiagnosisRun {
    var state: DiagnosisState
    /// The effects of the last action.
    var effects: [DiagnosisEffect]
    /// Every request asked for and not answered yet, by kind, with its run number.
    private(set) var outstanding: [ProbeKind: (request: ProbeRequest, runID: Int)] = [:]

    init(_ target: Target, symptom: Symptom = .refused) {
        state = DiagnosisState(target: target, symptom: symptom)
        effects = DiagnosisReducer.reduce(&state, .started)
        remember(effects)
    }

    private mutating func remember(_ effects: [DiagnosisEffect]) {
        for case .run(let request, let runID) in effects { outstanding[request.kind] = (request, runID) }
    }

    /// The requests of the last action, in the order asked.
    var requests: [ProbeRequest] {
        effects.map { effect in
            switch effect {
            case .run(let request, _): return request
            }
        }
    }

    /// The one request the last action asked for.
    var request: ProbeRequest? { requests.count == 1 ? requests[0] : nil }

    /// Answers the outstanding request of the observation's kind.
    mutating func answer(_ observation: Observation, durationMs: Int = 7,
                         file: StaticString = #filePath, line: UInt = #line) {
        guard let (request, runID) = outstanding.removeValue(forKey: observation.kind) else {
            XCTFail("no \(observation.kind) probe was asked for; outstanding: \(outstanding.keys.map(\.rawValue))", file: file, line: line)
            return
        }
        effects = DiagnosisReducer.reduce(&state, .probeFinished(runID: runID, request: request,
                                                                 observation: observation, durationMs: durationMs))
        remember(effects)
    }

    /// Answers the outstanding SMTP request with a healthy session, if the run still waits for it.
    mutating func answerSMTPIfAwaited(file: StaticString = #filePath, line: UInt = #line) {
        guard state.phase == .running, let smtp = state.pending[.smtp] else { return }
        answer(Fixture.healthySMTP(for: smtp), file: file, line: line)
    }

    func step(_ id: String) -> StepRecord? { state.steps.first { $0.id == id } }

    /// Statuses in tree order: dns, reach, port, blocked, filtered, ipv6, then the SMTP steps.
    var statuses: [StepStatus] { state.steps.map(\.status) }

    var verdict: Finding? { state.verdict }
}

/// Step ids of the SMTP nodes, in order.
let smtpStepIDs = ["greeting", "rejected", "slow", "protocol", "starttls", "tls", "certificate"]
/// Step ids of the refused family (and of the timeout family), in order.
let refusedStepIDs = ["dns", "reach", "port", "blocked", "filtered", "ipv6"] + smtpStepIDs
/// The SMTP steps when an earlier step ended the run.
let smtpSkipped = [StepStatus](repeating: .skipped, count: smtpStepIDs.count)
/// The SMTP steps of a healthy STARTTLS session.
let smtpRuledOut = [StepStatus](repeating: .ruledOut, count: smtpStepIDs.count)
