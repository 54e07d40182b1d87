import Diagnosis
import Foundation
import Probes
@testable import Report
import XCTest

/// The report contract of DESIGN.md, rendered from a finished diagnosis.
final class ReportRenderingTests: XCTestCase {
    private func finished(cause refusedPort: Bool = true) -> DiagnosisState {
        var state = DiagnosisState(target: Target(host: "192.0.2.7", port: 25), symptom: .refused)
        let effects = DiagnosisReducer.reduce(&state, .started)
        guard case .run(let request, let runID) = effects.first else { fatalError("no probe") }
        let address = IPAddress("192.0.2.7")!
        let results = state.target.portsToScan.map {
            PortProbeResult(address: address, port: $0, state: ($0 == 587 || !refusedPort) ? .open : .refused, elapsedMs: 2)
        }
        _ = DiagnosisReducer.reduce(&state, .probeFinished(runID: runID, request: request,
                                                           observation: .portScan(PortScan(results: results, deadlineMs: 5000)), durationMs: 9))
        return state
    }

    func testJSONHasTheContractKeys() throws {
        let json = ReportFormat.json.render(ReportDocument(finished(), generatedAt: Date(timeIntervalSince1970: 0)))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for key in ["verdict", "findings", "steps", "remediation", "transcript"] { XCTAssertNotNil(object[key], key) }
        let verdict = try XCTUnwrap(object["verdict"] as? [String: Any])
        XCTAssertEqual(verdict["cause"] as? String, "port-closed")
        let steps = try XCTUnwrap(object["steps"] as? [[String: Any]])
        let outcomes = Set(steps.compactMap { $0["outcome"] as? String })
        XCTAssertTrue(outcomes.isSubset(of: ["confirmed", "ruled-out", "inconclusive", "skipped"]), "\(outcomes)")
        for step in steps {
            for key in ["hypothesis", "probe", "outcome", "evidence", "durationMs"] { XCTAssertNotNil(step[key], key) }
        }
        let finding = try XCTUnwrap((object["findings"] as? [[String: Any]])?.first)
        XCTAssertEqual(finding["severity"] as? String, "error")
        XCTAssertEqual(object["generatedAt"] as? String, "1970-01-01T00:00:00Z")
    }

    func testJSONRoundTrips() throws {
        let report = ReportDocument(finished())
        let decoded = try JSONDecoder().decode(ReportDocument.self, from: Data(ReportFormat.json.render(report).utf8))
        XCTAssertEqual(decoded, report)
    }

    func testHealthyReport() {
        let report = ReportDocument(finished(cause: false))
        XCTAssertTrue(report.isHealthy)
        XCTAssertEqual(report.findings.count, 0)
        XCTAssertTrue(ReportFormat.text.render(report).contains("Verdict: healthy"))
    }

    func testTextReport() {
        let text = ReportFormat.text.render(ReportDocument(finished()))
        XCTAssertTrue(text.contains("Verdict: port-closed"))
        XCTAssertTrue(text.contains("[CONFIRMED ] Nothing listens on the requested port"))
        XCTAssertTrue(text.contains("1. Port 587 answers: use 587 with STARTTLS."))
    }

    func testMarkdownReport() {
        let markdown = ReportFormat.markdown.render(ReportDocument(finished()))
        XCTAssertTrue(markdown.hasPrefix("# smtp-doctor: refused check of `192.0.2.7` port 25"))
        XCTAssertTrue(markdown.contains("**Verdict: `port-closed`**"))
        XCTAssertTrue(markdown.contains("| confirmed | Nothing listens on the requested port |"))
    }

    func testControlCharactersAreEscapedInTextAndMarkdown() {
        var report = ReportDocument(finished())
        report.verdict.summary = "bad\u{1b}[31m red\u{0}"
        for format in [ReportFormat.text, .markdown] {
            let out = format.render(report)
            XCTAssertFalse(out.contains("\u{1b}"), "\(format)")
            XCTAssertTrue(out.contains("bad\\x1B[31m red\\x00"), out)
        }
    }

    func testSafeText() {
        XCTAssertEqual(SafeText.clean("ok é ✓"), "ok é ✓")
        XCTAssertEqual(SafeText.clean("\r\n\t\u{7f}\u{9b}"), "\\x0D\\x0A\\x09\\x7F\\x9B")
    }
}
