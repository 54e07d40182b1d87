@testable import Diagnosis
import Foundation
@testable import Probes
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
        // An open port goes on to the SMTP steps: answer the session asked for with the scan.
        if let smtp = state.pending[.smtp] {
            _ = DiagnosisReducer.reduce(&state, .probeFinished(runID: runID, request: smtp, observation: Self.healthySMTP, durationMs: 40))
        }
        return state
    }

    /// A healthy STARTTLS conversation with the address above, and its failing implicit-TLS twin.
    static let healthySMTP: Observation = {
        func line(_ direction: TranscriptLine.Direction, _ encrypted: Bool, _ ms: Int, _ text: String) -> TranscriptLine {
            TranscriptLine(direction: direction, encrypted: encrypted, offsetMs: ms, text: text)
        }
        let address = IPAddress("192.0.2.7")!
        let greeting = SMTPReply(code: 220, lines: ["mx.example.test ESMTP"])
        let ehlo = SMTPReply(code: 250, lines: ["mx.example.test", "STARTTLS"])
        let primary = SMTPSessionObservation(
            address: address, port: 25, mode: .opportunistic, end: .completed, connectMs: 1, greeting: greeting, greetingDelayMs: 12,
            ehloBeforeTLS: ehlo, ehloAfterTLS: SMTPReply(code: 250, lines: ["mx.example.test", "AUTH PLAIN"]),
            tls: TLSObservation(version: "TLSv1.3", chain: [], problems: [], trustDescription: "the test roots"),
            firstBytes: Array("220 mx".utf8), bytesReceived: 400,
            transcript: [line(.info, false, 1, "Connected (1 ms)"), line(.received, false, 12, "220 mx.example.test ESMTP"),
                         line(.sent, false, 13, "EHLO smtp-doctor.invalid"), line(.received, false, 14, "250 STARTTLS"),
                         line(.sent, false, 15, "STARTTLS"), line(.received, false, 16, "220 go ahead"),
                         line(.info, true, 30, "TLS established (TLSv1.3)"), line(.sent, true, 31, "QUIT"), line(.received, true, 32, "221 bye")],
            elapsedMs: 33, deadlines: StageDeadlines(allMs: 5000))
        let twin = SMTPSessionObservation(
            address: address, port: 25, mode: .implicit, end: .tlsFailed(stage: .tlsHandshake, detail: "wrong version number"), connectMs: 1,
            greeting: nil, greetingDelayMs: nil, ehloBeforeTLS: nil, ehloAfterTLS: nil, tls: nil, firstBytes: Array("220 mx".utf8), bytesReceived: 26,
            transcript: [line(.info, false, 1, "Connected (1 ms)"), line(.error, false, 3, "TLS handshake failed: wrong version number")],
            elapsedMs: 4, deadlines: StageDeadlines(allMs: 5000))
        return .smtp(SMTPCheck(primary: primary, alternate: twin))
    }()

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
        XCTAssertEqual(report.steps.count, 13, "the six connection steps and the seven SMTP steps")
    }

    func testTranscriptHoldsTheConversationThenItsTwin() {
        let report = ReportDocument(finished(cause: false))
        XCTAssertEqual(report.transcript, [
            "[0.001] === Connected (1 ms)",
            "[0.012] <-  220 mx.example.test ESMTP",
            "[0.013]  -> EHLO smtp-doctor.invalid",
            "[0.014] <-  250 STARTTLS",
            "[0.015]  -> STARTTLS",
            "[0.016] <-  220 go ahead",
            "[0.030] === TLS established (TLSv1.3)",
            "[0.031]  ~> QUIT",
            "[0.032] <~  221 bye",
            "=== the same port in implicit mode, tried at the same time:",
            "[0.001] === Connected (1 ms)",
            "[0.003] *** TLS handshake failed: wrong version number",
        ])
        XCTAssertTrue(ReportFormat.text.render(report).contains("Transcript:\n  [0.001] === Connected (1 ms)"))
        XCTAssertEqual(ReportDocument(finished()).transcript, [], "the run ended before the SMTP session was needed")
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
