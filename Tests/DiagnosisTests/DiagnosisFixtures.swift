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
}

/// One diagnosis driven by hand: start it, answer whatever probe it asks for
/// with the request it asked for, and read the state.
struct DiagnosisRun {
    var state: DiagnosisState
    /// The effects of the last action.
    var effects: [DiagnosisEffect]

    init(_ target: Target, symptom: Symptom = .refused) {
        state = DiagnosisState(target: target, symptom: symptom)
        effects = DiagnosisReducer.reduce(&state, .started)
    }

    /// The one request the last action asked for.
    var request: ProbeRequest? {
        guard effects.count == 1, case .run(let request, _) = effects[0] else { return nil }
        return request
    }

    /// Answers the pending probe (the single effect of the last action).
    mutating func answer(_ observation: Observation, durationMs: Int = 7,
                         file: StaticString = #filePath, line: UInt = #line) {
        guard effects.count == 1, case .run(let request, let runID) = effects[0] else {
            XCTFail("expected exactly one probe to be asked for, got \(effects)", file: file, line: line)
            return
        }
        effects = DiagnosisReducer.reduce(&state, .probeFinished(runID: runID, request: request,
                                                                 observation: observation, durationMs: durationMs))
    }

    func step(_ id: String) -> StepRecord? { state.steps.first { $0.id == id } }

    /// Statuses in tree order: dns, reach, port, blocked, filtered, ipv6.
    var statuses: [StepStatus] { state.steps.map(\.status) }

    var verdict: Finding? { state.verdict }
}

/// Step ids of the refused family, in order.
let refusedStepIDs = ["dns", "reach", "port", "blocked", "filtered", "ipv6"]
