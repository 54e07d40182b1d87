@testable import Diagnosis
import Probes
@testable import TerminalUI
import XCTest

/// Drawing is a function of the model: frames are read as text.
final class WizardViewTests: XCTestCase {
    private func frame(_ model: WizardModel) -> Frame { WizardView.render(model) }

    func testMenuAt80x24() {
        let m = WizardModel(target: Target(host: ""), prefilledHost: false)
        let f = frame(m)
        XCTAssertEqual(f.lines.count, 24)
        XCTAssertTrue(f.lines.allSatisfy { $0.text.count <= 80 })
        XCTAssertTrue(f.text.contains(" > 1. Connection refused or cannot connect"))
        XCTAssertTrue(f.text.contains("   5. Explain an error message or bounce\n"))
        XCTAssertTrue(f.lines[23].text.hasPrefix(" Up/Down choose"))
    }

    func testTooSmall() {
        var m = WizardModel(target: Target(host: ""), prefilledHost: false)
        m.rows = 10
        m.columns = 40
        let f = frame(m)
        XCTAssertEqual(f.lines.first?.text, "Terminal too small")
        XCTAssertTrue(f.text.contains("need 60x16, have 40x10"))
    }

    func testFormShowsProblemsAndCursor() {
        var m = WizardModel(target: Target(host: ""), prefilledHost: false)
        m.screen = .form
        m.form.host = "a..b"
        let f = frame(m)
        XCTAssertTrue(f.text.contains("empty label"), f.text)
        XCTAssertEqual(f.cursor?.row, 4)
        XCTAssertEqual(f.cursor?.column, 18)
    }

    func testStepsAndVerdictScreens() {
        var m = WizardModel(target: Target(host: "192.0.2.1", port: 25), prefilledHost: true)
        var state = DiagnosisState(target: m.baseTarget, symptom: .refused)
        let effects = DiagnosisReducer.reduce(&state, .started)
        guard case .run(let request, let runID) = effects.first else { return XCTFail() }
        let address = IPAddress("192.0.2.1")!
        let results = m.baseTarget.portsToScan.map {
            PortProbeResult(address: address, port: $0, state: $0 == 587 ? .open : .refused, elapsedMs: 1)
        }
        _ = DiagnosisReducer.reduce(&state, .probeFinished(runID: runID, request: request,
                                                           observation: .portScan(PortScan(results: results, deadlineMs: 5000)), durationMs: 12))
        m.diagnosis = state
        m.screen = .steps
        m.selectedStep = 2
        let steps = frame(m).text
        XCTAssertTrue(steps.contains("CONFIRMED Nothing listens on the requested port"), steps)
        XCTAssertTrue(steps.contains("Verdict: port-closed"), steps)
        XCTAssertTrue(steps.contains("192.0.2.1:25 refused (TCP reset"), steps)
        m.screen = .verdict
        let verdict = frame(m).text
        XCTAssertTrue(verdict.contains("PROBLEM: port-closed"), verdict)
        XCTAssertTrue(verdict.contains("1. Port 587 answers: use 587 with STARTTLS."), verdict)
    }

    func testControlCharactersFromTheNetworkAreNeverDrawnRaw() {
        var m = WizardModel(target: Target(host: "192.0.2.1"), prefilledHost: true)
        var state = DiagnosisState(target: m.baseTarget, symptom: .refused)
        _ = DiagnosisReducer.reduce(&state, .started)
        m.diagnosis = state
        m.diagnosis?.steps[0].evidence = ["PTR evil\u{1b}[2J\u{07}.example"]
        m.screen = .steps
        m.selectedStep = 0
        let text = frame(m).text
        XCTAssertFalse(text.contains("\u{1b}"))
        XCTAssertTrue(text.contains("evil\\x1B[2J\\x07.example"), text)
    }

    func testWrapKeepsWordsAndCutsLongOnes() {
        XCTAssertEqual(Wrap.lines("one two three", width: 8), ["one two", "three"])
        XCTAssertEqual(Wrap.lines(String(repeating: "x", count: 12), width: 5), ["xxxxx", "xxxxx", "xx"])
        XCTAssertEqual(Wrap.lines("", width: 10), [""])
    }

    func testWideTerminalUsesTheRoom() {
        var m = WizardModel(target: Target(host: ""), prefilledHost: false)
        m.rows = 50
        m.columns = 200
        let f = frame(m)
        XCTAssertEqual(f.lines.count, 50)
        XCTAssertEqual(f.lines[0].text.count, 200)
    }
}
