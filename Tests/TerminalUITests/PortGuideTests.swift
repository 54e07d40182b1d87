import Diagnosis
import Probes
@testable import TerminalUI
import XCTest

/// The port guide: four ports side by side, the one this run found marked.
final class PortGuideTests: XCTestCase {
    func testFromTheMenuWithoutARun() {
        var model = WizardModel(target: Target(host: ""), prefilledHost: false)
        EvidenceFixture.press(&model, .char("p"))
        XCTAssertEqual(model.panel?.kind, .portGuide)
        let frame = WizardView.render(model)
        EvidenceFixture.assertFits(frame)
        let text = frame.text
        XCTAssertTrue(text.contains("Port      587"), text)
        for port in ["465", "2525", "25 "] { XCTAssertTrue(text.contains(port), text) }
        XCTAssertTrue(text.contains("Run a check"), text)
        XCTAssertFalse(text.contains("*"), "nothing is marked without a run")
        EvidenceFixture.press(&model, .escape)
        XCTAssertEqual(model.screen, .menu)
        XCTAssertNil(model.panel)
    }

    func testTheWorkingPortIsMarked() {
        let state = EvidenceFixture.run(Target(host: EvidenceFixture.host, port: 587))
        XCTAssertEqual(PortGuide.recommended(state.facts)?.port, 587)
        var model = EvidenceFixture.model(state, screen: .verdict, rows: 40, columns: 120)
        EvidenceFixture.press(&model, .char("p"))
        let text = WizardView.render(model).text
        XCTAssertTrue(text.contains("587 * (yours)"), text)
        XCTAssertTrue(text.contains("Found for mail.example.com: port 587, worked in this run with STARTTLS"), text)
        XCTAssertTrue(text.contains("open - use this"), text)
    }

    func testAClosedPortPointsAtTheBestOpenOne() {
        let state = EvidenceFixture.run(Target(host: EvidenceFixture.host, port: 25), symptom: .refused, open: [465, 2525, 443])
        XCTAssertEqual(PortGuide.recommended(state.facts)?.port, 465, "587 is closed: 465 comes next")
        let frame = WizardView.render({ var m = EvidenceFixture.model(state, screen: .verdict); EvidenceFixture.press(&m, .char("p")); return m }())
        EvidenceFixture.assertFits(frame)
        let portRow = frame.lines.first { $0.text.hasPrefix(" Port ") }
        XCTAssertEqual(portRow?.spans.first { $0.text.hasPrefix("465 *") }?.style, .good, frame.text)
        let here = EvidenceScreen.content(EvidenceFixture.model(state, screen: .verdict), .portGuide, width: 80).first { $0.text.hasPrefix(" Here") }
        XCTAssertEqual(here?.text, " Here      refused          open - use this  open             refused          ")
    }

    func testNoPortAnswered() {
        let state = EvidenceFixture.run(Target(host: EvidenceFixture.host, port: 587), symptom: .refused, open: [])
        XCTAssertNil(PortGuide.recommended(state.facts))
        let text = PortGuide.lines(state, width: 80).map(\.text).joined(separator: "\n")
        XCTAssertTrue(text.contains("No port answered in this run"), text)
    }

    func testNarrowTerminalStacksThePorts() {
        let text = PortGuide.lines(nil, width: 60).map(\.text).joined(separator: "\n")
        XCTAssertTrue(text.contains(" Port 587\n"), text)
        XCTAssertTrue(text.contains("   TLS     Implicit TLS"), text)
    }
}

extension PortGuideTests {
    /// Over the menu the guide takes the letters: they switch views, never pick a recent target underneath.
    func testLettersOverTheMenuStayWithTheGuide() {
        var model = WizardModel(target: Target(host: ""), prefilledHost: false)
        EvidenceFixture.press(&model, .char("p"))
        EvidenceFixture.press(&model, .char("a"), .char("c"))
        XCTAssertEqual(model.screen, .menu)
        XCTAssertEqual(model.panel?.kind, .commands)
        XCTAssertTrue(WizardView.render(model).text.contains("No diagnosis has run yet."))
    }
}
