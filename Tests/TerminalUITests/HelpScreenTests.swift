import Diagnosis
@testable import TerminalUI
import XCTest

/// Help: every screen's keys and every family; it scrolls when it does not fit.
final class HelpScreenTests: XCTestCase {
    func testHelpScrollsAt80x24() {
        var model = WizardModel(target: Target(host: ""), prefilledHost: false)
        EvidenceFixture.press(&model, .char("?"))
        XCTAssertTrue(model.showHelp)
        var frame = WizardView.render(model)
        EvidenceFixture.assertFits(frame)
        XCTAssertTrue(frame.text.contains("... more below"), frame.text)
        XCTAssertTrue(frame.lines[23].text.contains("scroll"), frame.lines[23].text)
        XCTAssertTrue(frame.text.contains(" Keys here: Menu"), frame.text)
        XCTAssertFalse(frame.text.contains("Keys: Explain"))
        EvidenceFixture.press(&model, .down)
        XCTAssertEqual(model.helpScroll, 1)
        EvidenceFixture.press(&model, .end)
        frame = WizardView.render(model)
        XCTAssertTrue(frame.text.contains("Keys: Explain"), frame.text)
        XCTAssertFalse(frame.text.contains("more below"))
        EvidenceFixture.press(&model, .pageDown)
        XCTAssertEqual(model.helpScroll, HelpScreen.content(model, width: 80).count - 22, "stops at the end")
        EvidenceFixture.press(&model, .home)
        XCTAssertEqual(model.helpScroll, 0)
        EvidenceFixture.press(&model, .char("x"))
        XCTAssertFalse(model.showHelp, "any other key closes it")
        EvidenceFixture.press(&model, .char("?"))
        XCTAssertEqual(EvidenceFixture.press(&model, .char("q")), [.quit])
    }

    func testHelpNamesEveryScreensKeysAndEveryView() {
        var model = WizardModel(target: Target(host: ""), prefilledHost: false)
        let text = HelpScreen.content(model, width: 200).map(\.text).joined(separator: "\n")
        for heading in ["Keys here: Menu", "Keys: Form", "Keys: Steps", "Keys: Verdict", "Keys: Evidence views", "Keys: Explain", "What the spam family checks"] {
            XCTAssertTrue(text.contains(" \(heading)"), heading)
        }
        model.panel = EvidencePanel(kind: .transcript)
        XCTAssertTrue(HelpScreen.content(model, width: 80).prefix(8).contains { $0.text.hasPrefix(" Keys here: Evidence views") },
                      "the open view's keys come first")
        for key in ["t the SMTP transcript", "d every DNS lookup", "x the certificate chain", "w the timing waterfall", "p the port guide",
                    "c the commands", "/ then text then Enter", "n and N"] {
            XCTAssertTrue(text.contains(key), key)
        }
    }

    func testAWideTerminalShowsItWhole() {
        var model = WizardModel(target: Target(host: ""), prefilledHost: false)
        model.rows = 60
        model.columns = 200
        EvidenceFixture.press(&model, .char("?"))
        let frame = WizardView.render(model)
        XCTAssertFalse(frame.text.contains("more below"), frame.text)
        XCTAssertEqual(frame.lines[59].text.trimmingCharacters(in: .whitespaces), "any key closes help  q quit")
    }
}
