import Diagnosis
import Probes
@testable import TerminalUI
import XCTest

/// The timing waterfall: bars proportional to time, never wider than the
/// pane, the deadline marked; rows from the probes' recorded start times.
final class WaterfallTests: XCTestCase {
    func testBarsAreProportional() {
        let half = WaterfallRow(label: "a", startMs: 0, durationMs: 500, deadlineMs: nil)
        XCTAssertEqual(Waterfall.bar(half, scaleMs: 1000, width: 50), String(repeating: "#", count: 25) + String(repeating: " ", count: 25))
        let late = WaterfallRow(label: "b", startMs: 500, durationMs: 250, deadlineMs: nil)
        let bar = Waterfall.bar(late, scaleMs: 1000, width: 40)
        XCTAssertEqual(bar.firstIndex(of: "#").map { bar.distance(from: bar.startIndex, to: $0) }, 20)
        XCTAssertEqual(bar.filter { $0 == "#" }.count, 10)
    }

    func testAnyTimeShowsAsOneMarkAndNothingIsWiderThanThePane() {
        let instant = WaterfallRow(label: "c", startMs: 0, durationMs: 0, deadlineMs: nil)
        XCTAssertEqual(Waterfall.bar(instant, scaleMs: 5000, width: 30).filter { $0 == "#" }.count, 1)
        for width in [1, 7, 10, 33, 100] {
            for row in [WaterfallRow(label: "d", startMs: 4999, durationMs: 9000, deadlineMs: 20000),
                        WaterfallRow(label: "e", startMs: 0, durationMs: 5000, deadlineMs: 5000)] {
                XCTAssertEqual(Waterfall.bar(row, scaleMs: 5000, width: width).count, width)
            }
        }
    }

    func testDeadlineMarker() {
        let row = WaterfallRow(label: "smtp", startMs: 0, durationMs: 100, deadlineMs: 400)
        let bar = Waterfall.bar(row, scaleMs: 500, width: 50)
        XCTAssertEqual(bar, String(repeating: "#", count: 10) + String(repeating: "-", count: 30) + "|" + String(repeating: " ", count: 9))
        // A probe that ran into its deadline: the marker sits inside the bar.
        let hit = Waterfall.bar(WaterfallRow(label: "greeting", startMs: 0, durationMs: 500, deadlineMs: 250), scaleMs: 500, width: 20)
        XCTAssertEqual(hit, String(repeating: "#", count: 10) + "|" + String(repeating: "#", count: 9))
        XCTAssertTrue(hit.allSatisfy { $0.isASCII })
        // A deadline beyond the last end: `>` at the edge.
        let far = Waterfall.bar(WaterfallRow(label: "dns", startMs: 0, durationMs: 50, deadlineMs: 5000), scaleMs: 100, width: 10)
        XCTAssertEqual(far, "#####---->")
    }

    func testRowsFromTheRunStartAtTheFirstProbe() {
        let state = EvidenceFixture.run(Target(host: EvidenceFixture.host, port: 587))
        let rows = Waterfall.rows(state)
        XCTAssertEqual(rows.first?.label, "dns mail.example.com")
        XCTAssertEqual(rows.first?.startMs, 0)
        XCTAssertEqual(rows.first?.deadlineMs, 5000)
        let smtp = rows.first { $0.label == "smtp 192.0.2.10:587" }
        XCTAssertEqual(smtp?.startMs, 5)
        XCTAssertEqual(smtp?.durationMs, 180)
        XCTAssertEqual(smtp?.deadlineMs, 10000, "connect plus greeting")
        XCTAssertTrue(rows.contains { $0.isStage && $0.label == "greeting" && $0.startMs == 8 && $0.durationMs == 40 })
        XCTAssertEqual(rows.first { $0.label.hasPrefix("connect 5 ports") }?.startMs, 4)
        XCTAssertEqual(Waterfall.scaleMs(rows), 185, "the bars span the run; the deadlines lie beyond")
    }

    func testViewFitsEverySize() {
        let state = EvidenceFixture.run(Target(host: EvidenceFixture.host, port: 587))
        for (rows, columns) in [(16, 60), (24, 80), (40, 120), (50, 200)] {
            var model = EvidenceFixture.model(state, rows: rows, columns: columns)
            EvidenceFixture.press(&model, .char("w"))
            let frame = WizardView.render(model)
            EvidenceFixture.assertFits(frame)
            XCTAssertTrue(frame.text.contains("The run took 185 ms"), frame.text)
            let bars = frame.lines.filter { $0.text.contains("#") }
            XCTAssertFalse(bars.isEmpty)
            XCTAssertTrue(frame.lines.contains { $0.text.hasSuffix(">") }, "deadline markers:\n\(frame.text)")
            XCTAssertTrue(frame.text.contains("limit"), frame.text)
        }
    }

    func testAProbeTheVerdictCameBeforeIsListed() {
        // The refused family on a closed port: the verdict comes from the scan while the session still runs.
        var state = DiagnosisState(target: Target(host: "192.0.2.10", port: 25), symptom: .refused)
        let effects = DiagnosisReducer.reduce(&state, .started)
        let address = IPAddress("192.0.2.10")!
        guard case .run(let scan, let runID) = effects.first(where: { if case .run(.scanPorts, _) = $0 { true } else { false } }) else {
            return XCTFail("\(effects)")
        }
        let results = state.target.portsToScan.map { PortProbeResult(address: address, port: $0, state: $0 == 587 ? .open : .refused, elapsedMs: 1) }
        _ = DiagnosisReducer.reduce(&state, .probeFinished(runID: runID, request: scan, observation: .portScan(PortScan(results: results, deadlineMs: 5000)),
                                                           durationMs: 9, startedAtMs: 100))
        XCTAssertEqual(state.phase, .finished)
        XCTAssertEqual(state.timings, [ProbeTiming(request: scan, startedAtMs: 100, durationMs: 9)])
        XCTAssertEqual(state.abandoned.map(\.kind), [.smtp])
        let text = WaterfallView.lines(state, width: 100).map(\.text).joined(separator: "\n")
        XCTAssertTrue(text.contains("the verdict came first"), text)
        XCTAssertTrue(text.contains("   smtp 192.0.2.10:25"), text)
        // A new run forgets both.
        _ = DiagnosisReducer.reduce(&state, .started)
        XCTAssertEqual(state.timings, [])
        XCTAssertEqual(state.abandoned, [])
    }

    func testTheEngineStampsWhenEachProbeStarted() async {
        let client = ProbeClient { _ in
            try? await Task.sleep(for: .milliseconds(30))
            return .resolution(HostResolution(host: "x.example"))
        }
        let effect = DiagnosisEffect.run(.resolveHost("x.example", family: .any), runID: 1)
        let first = await DiagnosisEngine.perform(effect, client: client)
        let second = await DiagnosisEngine.perform(effect, client: client)
        guard case .probeFinished(_, _, _, let duration, let start1) = first, case .probeFinished(_, _, _, _, let start2) = second else {
            return XCTFail("\(first) \(second)")
        }
        XCTAssertGreaterThanOrEqual(duration, 30)
        XCTAssertGreaterThanOrEqual(start1, 0)
        XCTAssertGreaterThanOrEqual(start2 - start1, 30, "the second started after the first ended")
    }
}
