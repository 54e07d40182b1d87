import Diagnosis
import Probes
@testable import TerminalUI
import XCTest

/// The explain entry as data: pasted text in, an explain effect out, the
/// explanation shown, and a suggested check opening its family's form filled in.
final class ExplainReducerTests: XCTestCase {
    private func model() -> WizardModel {
        WizardModel(target: Target(host: "", port: 587), prefilledHost: false)
    }

    @discardableResult
    private func press(_ model: inout WizardModel, _ keys: Key...) -> [WizardEffect] {
        var effects: [WizardEffect] = []
        for key in keys { effects += WizardReducer.reduce(&model, .key(key)) }
        return effects
    }

    private func type(_ model: inout WizardModel, _ text: String) {
        for c in text { _ = WizardReducer.reduce(&model, .key(c == "\n" ? .enter : .char(c))) }
    }

    func testPasteKeepsItsLinesAndExplainRuns() {
        var m = model()
        press(&m, .char("5"))
        XCTAssertEqual(m.screen, .explainInput)
        type(&m, "550-5.7.1 first\n550 5.7.1 blocked using zen.spamhaus.org")
        XCTAssertEqual(m.explainForm.text, "550-5.7.1 first\n550 5.7.1 blocked using zen.spamhaus.org")
        press(&m, .tab)
        XCTAssertEqual(m.explainForm.focus, .path)
        let effects = press(&m, .tab, .enter)
        XCTAssertEqual(effects, [.explain(ExplainRequest(text: m.explainForm.text, path: nil))])
        XCTAssertEqual(m.screen, .explainResult)
        XCTAssertTrue(m.explaining)
    }

    func testNothingToExplainSaysWhat() {
        var m = model()
        press(&m, .char("5"), .tab, .tab)
        XCTAssertEqual(press(&m, .enter), [])
        XCTAssertEqual(m.screen, .explainInput)
        XCTAssertEqual(m.status, "paste the error text, or give the path of a bounce or message file")
    }

    func testAFileAloneIsEnough() {
        var m = model()
        press(&m, .char("5"), .tab)
        type(&m, "/tmp/bounce.eml")
        let effects = press(&m, .enter, .enter)
        XCTAssertEqual(effects, [.explain(ExplainRequest(text: "", path: "/tmp/bounce.eml"))])
    }

    func testPasteBeyondTheLimitIsCutAndSaid() {
        var m = model()
        press(&m, .char("5"))
        m.explainForm.text = String(repeating: "x", count: ExplainForm.textLimit)
        type(&m, "more")
        XCTAssertEqual(m.explainForm.text.utf8.count, ExplainForm.textLimit)
        XCTAssertTrue(m.explainForm.truncated)
    }

    func testASuggestedCheckOpensItsFormFilledIn() {
        var m = model()
        press(&m, .char("5"))
        type(&m, "550 5.7.1 blocked")
        press(&m, .tab, .tab, .enter)
        let check = SuggestedCheck(label: "Is 192.0.2.1 on blocklists?", symptom: .spam, domain: "example.com",
                                   sendingIP: "192.0.2.1", commandLine: "smtp-doctor check --symptom spam --domain example.com --sending-ip 192.0.2.1")
        _ = WizardReducer.reduce(&m, .explained(ExplainOutcome(title: "Blocked", lines: ["meaning"], checks: [check])))
        XCTAssertFalse(m.explaining)
        XCTAssertEqual(press(&m, .char("2")), [], "no second check: nothing happens")
        XCTAssertEqual(m.screen, .explainResult)
        press(&m, .char("1"))
        XCTAssertEqual(m.screen, .form)
        XCTAssertEqual(WizardModel.menu[m.menuIndex], .spam)
        XCTAssertEqual(m.form.domain, "example.com")
        XCTAssertEqual(m.form.sendingIP, "192.0.2.1")
        XCTAssertTrue(m.form.asksForSender)
        XCTAssertNotNil(m.formTarget)
    }

    func testEscapeGoesBack() {
        var m = model()
        press(&m, .char("5"), .tab, .tab)
        press(&m, .escape)
        XCTAssertEqual(m.screen, .menu)
    }

    func testResultScreenNeverShowsControlCharacters() {
        var m = model()
        m.screen = .explainResult
        m.explanation = ExplainOutcome(title: "t\u{1b}[2J", lines: ["evil \u{1b}]0;title\u{07}"], checks: [])
        let frame = WizardView.render(m)
        let text = frame.lines.map { $0.spans.map(\.text).joined() }.joined(separator: "\n")
        XCTAssertFalse(text.contains("\u{1b}"))
        XCTAssertFalse(text.contains("\u{07}"))
    }
}
