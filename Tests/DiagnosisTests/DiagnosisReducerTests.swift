import Probes
import XCTest
@testable import Diagnosis

/// The reducer's life cycle: what it asks for, and which results it drops.
final class DiagnosisReducerTests: XCTestCase {
    let target = Target(host: Fixture.host, port: 25)

    func testStartedOnAHostNameAsksForTheLookupFirst() {
        let run = DiagnosisRun(target)
        XCTAssertEqual(run.effects, [.run(.resolveHost(Fixture.host, family: .any), runID: 1)])
        XCTAssertEqual(run.state.phase, .running)
        XCTAssertEqual(run.state.steps.map(\.id), refusedStepIDs)
        XCTAssertEqual(run.statuses, [.running, .waiting, .waiting, .waiting, .waiting, .waiting])
        XCTAssertEqual(run.state.pending?.request, .resolveHost(Fixture.host, family: .any))
        XCTAssertEqual(run.state.pending?.step, 0)
        XCTAssertNil(run.verdict)
    }

    func testLookupResultAsksForOneScanOfEveryPortOnEveryAddress() {
        var run = DiagnosisRun(target)
        run.answer(Fixture.resolved(Fixture.v6, Fixture.v4), durationMs: 42)
        XCTAssertEqual(run.effects, [.run(.scanPorts(addresses: [Fixture.v4, Fixture.v6], ports: [25, 465, 587, 2525, 443],
                                                     timeoutSeconds: 5), runID: 1)])
        XCTAssertEqual(run.step("dns")?.status, .ruledOut)
        XCTAssertEqual(run.step("dns")?.durationMs, 42)
        XCTAssertEqual(run.step("reach")?.status, .running)
        XCTAssertEqual(run.state.pending?.step, 1)
    }

    func testScanDurationIsRecordedOnTheStepThatAskedForIt() {
        var run = DiagnosisRun(target)
        run.answer(Fixture.resolved(Fixture.v4))
        run.answer(Fixture.scan(Fixture.results(target, on: Fixture.v4, [25: .open])), durationMs: 17)
        XCTAssertEqual(run.step("reach")?.durationMs, 17)
        XCTAssertEqual(run.effects, [])
        XCTAssertEqual(run.state.phase, .finished)
        XCTAssertNil(run.state.pending)
    }

    func testIPv4LiteralSkipsTheLookupAndScansTheAddress() {
        let literal = Target(host: "192.0.2.10", port: 25)
        let run = DiagnosisRun(literal)
        XCTAssertEqual(run.effects, [.run(.scanPorts(addresses: [Fixture.v4], ports: literal.portsToScan, timeoutSeconds: 5), runID: 1)])
        XCTAssertEqual(run.step("dns")?.status, .skipped)
        XCTAssertEqual(run.step("dns")?.evidence, ["192.0.2.10 is an IP address; there is no name to look up."])
        XCTAssertEqual(run.step("reach")?.status, .running)
        XCTAssertEqual(run.state.facts.resolution?.literal, Fixture.v4)
    }

    func testBracketedIPv6LiteralSkipsTheLookup() {
        let literal = Target(host: "[2001:db8::10]", port: 587, family: .ipv6Only)
        let run = DiagnosisRun(literal)
        XCTAssertEqual(run.request, .scanPorts(addresses: [Fixture.v6], ports: literal.portsToScan, timeoutSeconds: 5))
        XCTAssertEqual(run.step("dns")?.status, .skipped)
    }

    func testTimeoutOfTheTargetIsPassedToTheScan() {
        let slow = Target(host: "192.0.2.10", port: 587, timeoutSeconds: 2.5)
        XCTAssertEqual(DiagnosisRun(slow).request, .scanPorts(addresses: [Fixture.v4], ports: slow.portsToScan, timeoutSeconds: 2.5))
    }

    func testResultOfAnEarlierRunIsIgnored() {
        var state = DiagnosisState(target: target, symptom: .refused)
        _ = DiagnosisReducer.reduce(&state, .started)
        let second = DiagnosisReducer.reduce(&state, .started)
        XCTAssertEqual(second, [.run(.resolveHost(Fixture.host, family: .any), runID: 2)])
        let before = state

        let stale = DiagnosisReducer.reduce(&state, .probeFinished(runID: 1, request: .resolveHost(Fixture.host, family: .any),
                                                                    observation: Fixture.resolved(Fixture.v4), durationMs: 5))
        XCTAssertEqual(stale, [])
        XCTAssertEqual(state, before)

        let current = DiagnosisReducer.reduce(&state, .probeFinished(runID: 2, request: .resolveHost(Fixture.host, family: .any),
                                                                      observation: Fixture.resolved(Fixture.v4), durationMs: 5))
        XCTAssertEqual(current.count, 1)
        XCTAssertEqual(state.step("dns")?.status, .ruledOut)
    }

    func testResultForAnotherRequestThanThePendingOneIsIgnored() {
        var state = DiagnosisState(target: target, symptom: .refused)
        _ = DiagnosisReducer.reduce(&state, .started)
        let before = state
        let otherHost = DiagnosisReducer.reduce(&state, .probeFinished(runID: 1, request: .resolveHost("other.example.com", family: .any),
                                                                        observation: Fixture.resolved(Fixture.v4), durationMs: 5))
        XCTAssertEqual(otherHost, [])
        let otherFamily = DiagnosisReducer.reduce(&state, .probeFinished(runID: 1, request: .resolveHost(Fixture.host, family: .ipv4Only),
                                                                          observation: Fixture.resolved(Fixture.v4), durationMs: 5))
        XCTAssertEqual(otherFamily, [])
        let scan = DiagnosisReducer.reduce(&state, .probeFinished(runID: 1, request: .scanPorts(addresses: [Fixture.v4], ports: [25], timeoutSeconds: 5),
                                                                   observation: Fixture.scan([]), durationMs: 5))
        XCTAssertEqual(scan, [])
        XCTAssertEqual(state, before)
    }

    func testResultBeforeAnyStartIsIgnored() {
        var state = DiagnosisState(target: target, symptom: .refused)
        let effects = DiagnosisReducer.reduce(&state, .probeFinished(runID: 0, request: .resolveHost(Fixture.host, family: .any),
                                                                      observation: Fixture.resolved(Fixture.v4), durationMs: 5))
        XCTAssertEqual(effects, [])
        XCTAssertEqual(state.phase, .ready)
        XCTAssertEqual(state.steps, [])
        XCTAssertNil(state.facts.resolution)
    }

    func testResultAfterTheRunFinishedIsIgnored() {
        var run = DiagnosisRun(target)
        run.answer(Fixture.resolution(Fixture.lookup(.a, .nxdomain), Fixture.lookup(.aaaa, .nxdomain)))
        XCTAssertEqual(run.state.phase, .finished)
        let before = run.state
        let late = DiagnosisReducer.reduce(&run.state, .probeFinished(runID: 1, request: .resolveHost(Fixture.host, family: .any),
                                                                       observation: Fixture.resolved(Fixture.v4), durationMs: 5))
        XCTAssertEqual(late, [])
        XCTAssertEqual(run.state, before)
        XCTAssertEqual(run.verdict?.cause, .hostNXDomain)
    }

    func testStartingAgainAfterAVerdictForgetsIt() {
        var run = DiagnosisRun(target)
        run.answer(Fixture.resolution(Fixture.lookup(.a, .nxdomain), Fixture.lookup(.aaaa, .nxdomain)))
        let again = DiagnosisReducer.reduce(&run.state, .started)
        XCTAssertEqual(again, [.run(.resolveHost(Fixture.host, family: .any), runID: 2)])
        XCTAssertEqual(run.state.phase, .running)
        XCTAssertNil(run.state.verdict)
        XCTAssertEqual(run.state.findings, [])
        XCTAssertNil(run.state.facts.resolution)
        XCTAssertEqual(run.state.steps.map(\.status), [.running, .waiting, .waiting, .waiting, .waiting, .waiting])
    }

    func testSymptomWithoutATreeFinishesAtOnce() {
        for symptom in Symptom.allCases where !symptom.isBuilt {
            var state = DiagnosisState(target: target, symptom: symptom)
            let effects = DiagnosisReducer.reduce(&state, .started)
            XCTAssertEqual(effects, [], "\(symptom)")
            XCTAssertEqual(state.phase, .finished, "\(symptom)")
            XCTAssertEqual(state.steps, [], "\(symptom)")
            XCTAssertNil(state.verdict, "\(symptom)")
            XCTAssertNil(TroubleshootingTree.forSymptom(symptom), "\(symptom)")
        }
        XCTAssertEqual(Symptom.allCases.filter(\.isBuilt), [.refused])
    }

    func testRemediationListsTheVerdictFirst() {
        var run = DiagnosisRun(target)
        run.answer(Fixture.resolved(Fixture.v4))
        run.answer(Fixture.scan(Fixture.results(target, on: Fixture.v4, [25: .refused, 587: .open])))
        XCTAssertEqual(run.state.remediation, run.verdict?.remediation)
        XCTAssertEqual(run.state.remediation.first, "Port 587 answers: use 587 with STARTTLS.")
    }
}

extension DiagnosisState {
    func step(_ id: String) -> StepRecord? { steps.first { $0.id == id } }
}
