import Probes
import Synchronization
import XCTest
@testable import Diagnosis

/// The engine with a scripted client: same verdicts as driving the reducer by hand.
final class DiagnosisEngineTests: XCTestCase {
    /// Answers each request from a script and remembers what was asked.
    final class ScriptedProbes: Sendable {
        let asked = Mutex<[ProbeRequest]>([])
        let resolution: HostResolution
        let scan: @Sendable ([IPAddress], [Int]) -> [PortProbeResult]
        /// Held until the test lets it go, to show the run does not wait for probes it no longer needs.
        let smtpGate: AsyncStream<Void>?

        init(resolution: HostResolution, smtpGate: AsyncStream<Void>? = nil,
             scan: @escaping @Sendable ([IPAddress], [Int]) -> [PortProbeResult]) {
            self.resolution = resolution
            self.smtpGate = smtpGate
            self.scan = scan
        }

        /// What was asked so far, once `count` requests have come (each probe runs in its own task).
        func asked(count: Int) async -> [ProbeRequest] {
            for _ in 0..<2000 where asked.withLock({ $0.count }) < count {
                try? await Task.sleep(for: .milliseconds(1))
            }
            return asked.withLock { $0 }
        }

        var client: ProbeClient {
            ProbeClient { request in
                self.asked.withLock { $0.append(request) }
                switch request {
                case .resolveHost: return .resolution(self.resolution)
                case .scanPorts(let addresses, let ports, _):
                    return .portScan(PortScan(results: self.scan(addresses, ports), deadlineMs: 5000))
                case .smtpSession:
                    if let gate = self.smtpGate { for await _ in gate { break } }
                    return Fixture.healthySMTP(for: request)
                default:
                    preconditionFailure("the connection families ask for no record check: \(request)")
                }
            }
        }
    }

    func testEngineReachesPortClosedWithoutWaitingForTheSMTPSession() async {
        let target = Target(host: Fixture.host, port: 25)
        let (gate, release) = AsyncStream.makeStream(of: Void.self)
        let probes = ScriptedProbes(resolution: HostResolution(host: Fixture.host, lookups: [Fixture.lookup(.a, Fixture.answer(Fixture.v4))]),
                                    smtpGate: gate) { addresses, ports in
            addresses.flatMap { address in ports.map { Fixture.probe(address, $0, $0 == 587 ? .open : .refused) } }
        }
        let state = await DiagnosisEngine.run(target: target, symptom: .refused, client: probes.client)
        XCTAssertEqual(state.phase, .finished, "finished while the SMTP session still hangs")
        XCTAssertEqual(state.verdict?.cause, .portClosed)
        XCTAssertEqual(state.verdict?.remediation.first, "Port 587 answers: use 587 with STARTTLS.")
        XCTAssertEqual(state.steps.map(\.status), [.ruledOut, .ruledOut, .confirmed, .skipped, .skipped, .skipped] + smtpSkipped)
        XCTAssertNil(state.facts.smtp)
        let asked = await probes.asked(count: 3)
        release.finish()
        XCTAssertEqual(asked.first, .resolveHost(Fixture.host, family: .any))
        XCTAssertEqual(Set(asked.dropFirst()), [Fixture.scanRequest(target, Fixture.v4), Fixture.smtpRequest(target)],
                       "the scan and the SMTP session were started together")
    }

    func testEngineMatchesTheReducerDrivenByHand() async {
        let target = Target(host: Fixture.host, port: 587)
        let resolution = HostResolution(host: Fixture.host, lookups: [Fixture.lookup(.a, Fixture.answer(Fixture.v4)),
                                                                      Fixture.lookup(.aaaa, Fixture.answer(Fixture.v6))])
        let scan: @Sendable ([IPAddress], [Int]) -> [PortProbeResult] = { addresses, ports in
            addresses.flatMap { address in
                ports.map { Fixture.probe(address, $0, address.family == .ipv4 && $0 == 587 ? .open : .filtered) }
            }
        }
        let probes = ScriptedProbes(resolution: resolution, scan: scan)
        let engine = await DiagnosisEngine.run(target: target, symptom: .refused, client: probes.client)

        var run = DiagnosisRun(target)
        run.answer(.resolution(resolution))
        run.answer(.portScan(PortScan(results: scan([Fixture.v4, Fixture.v6], target.portsToScan), deadlineMs: 5000)))
        run.answerSMTPIfAwaited()

        XCTAssertEqual(engine.verdict?.cause, .ipv6Broken)
        XCTAssertEqual(engine.verdict, run.verdict)
        XCTAssertEqual(engine.findings, run.state.findings)
        XCTAssertEqual(engine.steps.map(\.status), run.statuses)
        XCTAssertEqual(engine.steps.map(\.evidence), run.state.steps.map(\.evidence))
        XCTAssertEqual(engine.facts.smtp, run.state.facts.smtp, "the IPv6 warning lets the SMTP steps run")
    }

    func testEngineNeverResolvesAnAddressLiteral() async {
        let target = Target(host: "192.0.2.10", port: 587)
        let probes = ScriptedProbes(resolution: HostResolution(host: "unused")) { addresses, ports in
            addresses.flatMap { address in ports.map { Fixture.probe(address, $0, .open) } }
        }
        let state = await DiagnosisEngine.run(target: target, symptom: .refused, client: probes.client)
        XCTAssertEqual(state.verdict?.cause, .healthy)
        XCTAssertEqual(Set(probes.asked.withLock { $0 }), [Fixture.scanRequest(target, Fixture.v4), Fixture.smtpRequest(target)])
        XCTAssertEqual(probes.asked.withLock { $0.count }, 2)
    }

    func testEngineReportsEveryChange() async {
        let seen = Mutex<[DiagnosisState.Phase]>([])
        let probes = ScriptedProbes(resolution: HostResolution(host: Fixture.host, lookups: [Fixture.lookup(.a, .nxdomain)])) { _, _ in [] }
        let state = await DiagnosisEngine.run(target: Target(host: Fixture.host), symptom: .refused, client: probes.client,
                                              onChange: { state in seen.withLock { $0.append(state.phase) } })
        XCTAssertEqual(state.verdict?.cause, .hostNXDomain)
        XCTAssertEqual(seen.withLock { $0 }, [.running, .finished])
    }

    func testEngineForAnUnbuiltSymptomAsksForNothing() async {
        let probes = ScriptedProbes(resolution: HostResolution(host: Fixture.host)) { _, _ in [] }
        let state = await DiagnosisEngine.run(target: Target(host: Fixture.host), symptom: .explain, client: probes.client)
        XCTAssertEqual(state.phase, .finished)
        XCTAssertNil(state.verdict)
        XCTAssertEqual(probes.asked.withLock { $0 }, [])
    }
}
