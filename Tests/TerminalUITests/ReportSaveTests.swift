import Diagnosis
import Foundation
import Probes
@testable import TerminalUI
import XCTest

/// `s` saves the report: a prompt with a default path, never overwriting
/// without a yes, the paths shown after saving; a saved report shown again
/// runs nothing.
final class ReportSaveTests: XCTestCase {
    /// The wizard on the verdict of a refused check of 192.0.2.1:25.
    private func finished() -> WizardModel {
        var m = WizardModel(target: Target(host: "192.0.2.1", port: 25), prefilledHost: true)
        _ = WizardReducer.reduce(&m, .key(.enter))
        let effects = WizardReducer.reduce(&m, .key(.enter))
        for case .perform(.run(let request, let runID)) in effects where request.kind == .tcpConnect {
            let address = IPAddress("192.0.2.1")!
            let results = m.baseTarget.portsToScan.map { PortProbeResult(address: address, port: $0, state: .refused, elapsedMs: 1) }
            let done = DiagnosisAction.probeFinished(runID: runID, request: request,
                                                     observation: .portScan(PortScan(results: results, deadlineMs: 5000)), durationMs: 3)
            _ = WizardReducer.reduce(&m, .diagnosis(DiagnosisActionBox(done)))
        }
        XCTAssertEqual(m.screen, .verdict)
        return m
    }

    @discardableResult
    private func press(_ m: inout WizardModel, _ keys: Key...) -> [WizardEffect] {
        keys.flatMap { WizardReducer.reduce(&m, .key($0)) }
    }

    func testTheDefaultPathNamesTheHostAndTheTime() {
        let date = Date(timeIntervalSince1970: 1_700_000_000)  // 2023-11-14 22:13:20 UTC
        let utc = TimeZone(identifier: "UTC")!
        XCTAssertEqual(ReportPath.suggested(for: Target(host: "mail.example.com"), at: date, timeZone: utc),
                       "./smtp-doctor-mail.example.com-20231114-221320.json")
        var spam = Target(host: "example.org")
        spam.domain = "example.org"
        XCTAssertEqual(ReportPath.suggested(for: spam, at: date, timeZone: utc), "./smtp-doctor-example.org-20231114-221320.json")
        XCTAssertEqual(ReportPath.suggested(for: Target(host: "2001:db8::1"), at: date, timeZone: utc),
                       "./smtp-doctor-2001_db8__1-20231114-221320.json")
        XCTAssertEqual(ReportPath.suggested(for: Target(host: "../../etc/x\u{1b}"), at: date, timeZone: utc),
                       "./smtp-doctor-_.._etc_x_-20231114-221320.json", "no directory part, no control character")
    }

    func testTheTypedPathNamesBothFiles() {
        XCTAssertTrue(ReportPath.files("out") == ("out.json", "out.md"))
        XCTAssertTrue(ReportPath.files("out.json") == ("out.json", "out.md"))
        XCTAssertTrue(ReportPath.files("/tmp/out.md") == ("/tmp/out.json", "/tmp/out.md"))
    }

    func testSaveWithTheDefaultPath() {
        var m = finished()
        XCTAssertEqual(press(&m, .char("s")), [.proposeReportPath])
        XCTAssertEqual(m.savePrompt, SavePrompt())
        _ = WizardReducer.reduce(&m, .saving(.pathProposed("./smtp-doctor-192.0.2.1-20240101-120000.json")))
        XCTAssertTrue(WizardView.render(m).text.contains("Save the report as: ./smtp-doctor-192.0.2.1-20240101-120000.json"))
        XCTAssertEqual(press(&m, .enter), [.saveReport(ReportSaveRequest(jsonPath: "./smtp-doctor-192.0.2.1-20240101-120000.json",
                                                                          markdownPath: "./smtp-doctor-192.0.2.1-20240101-120000.md",
                                                                          overwrite: false))])
        XCTAssertEqual(press(&m, .char("x")), [], "keys wait while saving")
        _ = WizardReducer.reduce(&m, .saving(.finished(.saved(json: "./a.json", markdown: "./a.md"))))
        XCTAssertNil(m.savePrompt)
        XCTAssertTrue(WizardView.render(m).text.contains("Saved ./a.json and ./a.md"), WizardView.render(m).text)
        press(&m, .down)
        XCTAssertNil(m.notice, "the notice goes with the next key")
    }

    func testAnExistingFileIsOverwrittenOnlyAfterYes() {
        var m = finished()
        press(&m, .char("s"))
        press(&m, .char("r"), .char("e"), .char("p"))
        XCTAssertEqual(m.savePrompt?.path, "rep", "typed before the default came: kept")
        _ = WizardReducer.reduce(&m, .saving(.pathProposed("./default.json")))
        XCTAssertEqual(m.savePrompt?.path, "rep")
        let first = press(&m, .enter)
        XCTAssertEqual(first, [.saveReport(ReportSaveRequest(jsonPath: "rep.json", markdownPath: "rep.md", overwrite: false))])
        _ = WizardReducer.reduce(&m, .saving(.finished(.exists(["rep.json"]))))
        XCTAssertEqual(m.savePrompt?.stage, .confirmOverwrite(existing: ["rep.json"]))
        XCTAssertTrue(WizardView.render(m).text.contains("Overwrite? (y/n) rep.json already exists."), WizardView.render(m).text)
        XCTAssertEqual(press(&m, .char("q")), [], "neither y nor n: nothing happens")
        // n: nothing is written, the name can be changed.
        XCTAssertEqual(press(&m, .char("n")), [])
        XCTAssertEqual(m.savePrompt?.stage, .editing)
        XCTAssertEqual(m.savePrompt?.message, "Nothing was overwritten: change the name, or Esc to cancel.")
        // y: written over.
        press(&m, .enter)
        _ = WizardReducer.reduce(&m, .saving(.finished(.exists(["rep.json", "rep.md"]))))
        XCTAssertEqual(press(&m, .char("y")), [.saveReport(ReportSaveRequest(jsonPath: "rep.json", markdownPath: "rep.md", overwrite: true))])
    }

    func testEscapeCancelsAndAFailureIsShown() {
        var m = finished()
        press(&m, .char("s"), .char("x"))
        press(&m, .enter)
        _ = WizardReducer.reduce(&m, .saving(.finished(.failed("cannot write x.json: Permission denied"))))
        XCTAssertEqual(m.savePrompt?.stage, .editing)
        XCTAssertTrue(WizardView.render(m).text.contains("cannot write x.json: Permission denied"))
        press(&m, .backspace)
        XCTAssertEqual(press(&m, .enter), [], "an empty path is not saved")
        XCTAssertEqual(m.savePrompt?.message, "Type where to save the report.")
        press(&m, .escape)
        XCTAssertNil(m.savePrompt)
        XCTAssertEqual(m.screen, .verdict)
    }

    func testNothingToSaveBeforeTheVerdict() {
        var m = WizardModel(target: Target(host: "192.0.2.1"), prefilledHost: true)
        press(&m, .enter, .enter)
        XCTAssertEqual(m.screen, .steps)
        XCTAssertEqual(press(&m, .char("s")), [])
        XCTAssertNil(m.savePrompt)
        XCTAssertNotNil(m.notice)
    }

    func testASavedReportRunsNothing() {
        var m = finished()
        m.readOnly = ReadOnlyReport(source: "r.json", generatedAt: "2024-01-01T00:00:00Z", toolVersion: "0.1.0")
        XCTAssertEqual(press(&m, .char("r")), [])
        XCTAssertTrue(m.notice?.text.contains("nothing is run again") == true)
        press(&m, .escape, .escape)
        XCTAssertEqual(m.screen, .form)
        XCTAssertEqual(press(&m, .enter), [], "nor does the form's Run")
        let text = WizardView.render(m).text
        XCTAssertTrue(text.contains("[saved report, read-only]"), text)
    }
}
