import Diagnosis
import Probes
@testable import TerminalUI
import XCTest

/// The steps and verdict screens at 80x24, 120x40 and 200x50: everything
/// fits, panes sit side by side when there is room, the banner and keys show.
final class StepsLayoutTests: XCTestCase {
    private let target = Target(host: EvidenceFixture.host, port: 587)

    func testStackedAt80x24() {
        let model = EvidenceFixture.model(EvidenceFixture.run(target))
        let frame = WizardView.render(model)
        EvidenceFixture.assertFits(frame)
        XCTAssertTrue(frame.lines[1].text.hasPrefix(" Verdict: healthy"), frame.text)
        XCTAssertTrue(frame.lines[1].text.contains("(Enter: what to do)"), frame.text)
        XCTAssertFalse(frame.text.contains(" | "), "stacked at 80 columns:\n\(frame.text)")
        for step in model.diagnosis!.steps { XCTAssertTrue(frame.text.contains(step.hypothesis), "\(step.hypothesis) not on\n\(frame.text)") }
        XCTAssertTrue(frame.lines[22].text.hasPrefix(" Evidence:  t transcript  d DNS  x certificates  w timing  p ports  c commands"), frame.lines[22].text)
        XCTAssertTrue(frame.lines[23].text.contains("? help"), frame.lines[23].text)
        XCTAssertTrue(frame.lines[23].text.contains("Enter verdict"), frame.lines[23].text)
    }

    func testSideBySideAt120x40() {
        var model = EvidenceFixture.model(EvidenceFixture.run(target), rows: 40, columns: 120)
        model.selectedStep = model.diagnosis!.steps.firstIndex { $0.id == "greeting" }!
        let frame = WizardView.render(model)
        EvidenceFixture.assertFits(frame)
        let leftWidth = 120 * 2 / 5
        let rows = frame.lines[2..<38].map(\.text)
        XCTAssertTrue(rows.allSatisfy { $0.count >= leftWidth + 3 && Array($0)[leftWidth...(leftWidth + 2)] == [" ", "|", " "] },
                      "a column rule at \(leftWidth):\n\(frame.text)")
        XCTAssertTrue(frame.text.contains("Why it matters"), frame.text)
        XCTAssertTrue(frame.text.contains("The server accepts the connection but never greets?"), frame.text)
        XCTAssertTrue(frame.text.contains(" Steps"), frame.text)
        XCTAssertTrue(frame.text.contains("More:  t SMTP transcript  x certificate chain"), frame.text)
    }

    func testWideTerminalShowsEveryEvidenceLine() {
        var model = EvidenceFixture.model(EvidenceFixture.run(target), rows: 50, columns: 200)
        model.selectedStep = model.diagnosis!.steps.firstIndex { $0.id == "certificate" }!
        let frame = WizardView.render(model)
        EvidenceFixture.assertFits(frame)
        let step = model.diagnosis!.steps[model.selectedStep]
        XCTAssertFalse(step.evidence.isEmpty)
        for line in step.evidence { XCTAssertTrue(frame.text.contains(String(line.prefix(60))), "\(line) not on\n\(frame.text)") }
        XCTAssertTrue(frame.lines[24].text.contains(" | "), frame.text)
    }

    func testLongStepListScrollsWithTheSelectionAtTheMinimumSize() {
        var model = EvidenceFixture.model(EvidenceFixture.run(target), rows: 16, columns: 60)
        let steps = model.diagnosis!.steps
        model.selectedStep = steps.count - 1
        let frame = WizardView.render(model)
        EvidenceFixture.assertFits(frame)
        XCTAssertTrue(frame.text.contains(String(steps.last!.hypothesis.prefix(30))), frame.text)
        XCTAssertTrue(frame.text.contains("steps "), "the list says where it is:\n\(frame.text)")
        model.selectedStep = 0
        XCTAssertTrue(WizardView.render(model).text.contains(String(steps[0].hypothesis.prefix(30))))
    }

    func testBannerWhileRunningIsAbsentAndColouredBySeverity() {
        var state = DiagnosisState(target: target, symptom: .timeout)
        _ = DiagnosisReducer.reduce(&state, .started)
        let running = WizardView.render(EvidenceFixture.model(state))
        XCTAssertFalse(running.text.contains("Verdict:"))
        let finished = EvidenceFixture.model(EvidenceFixture.run(Target(host: EvidenceFixture.host, port: 25), symptom: .refused, open: [587, 443]))
        let banner = WizardView.render(finished).lines[1]
        XCTAssertTrue(banner.text.hasPrefix(" Verdict: port-closed - "), banner.text)
        XCTAssertEqual(banner.spans.first?.style, .bad)
        XCTAssertEqual(banner.text.count, 80)
    }

    func testVerdictOffersThePortGuideBesideARemediationNamingAPort() {
        let state = EvidenceFixture.run(Target(host: EvidenceFixture.host, port: 25), symptom: .refused, open: [587, 443])
        for size in [(24, 80), (40, 120), (50, 200)] {
            let frame = WizardView.render(EvidenceFixture.model(state, screen: .verdict, rows: size.0, columns: size.1))
            EvidenceFixture.assertFits(frame)
            XCTAssertTrue(frame.text.contains("1. Port 587 answers: use 587 with STARTTLS."), frame.text)
            XCTAssertTrue(frame.text.contains("p the port guide"), frame.text)
            XCTAssertTrue(frame.lines[size.0 - 2].text.hasPrefix(" Evidence:"), frame.text)
            XCTAssertTrue(frame.lines[size.0 - 1].text.contains("Esc steps"), frame.text)
        }
    }

    func testKeyBarDropsTheLeastImportantKeysFirst() {
        let items = [("Up/Dn step", 0), ("PgUp/PgDn details", 3), ("Enter verdict", 0), ("q quit", 1), ("? help", 0)]
        XCTAssertEqual(KeyBar.text(items, width: 200), "Up/Dn step  PgUp/PgDn details  Enter verdict  q quit  ? help")
        XCTAssertEqual(KeyBar.text(items, width: 45), "Up/Dn step  Enter verdict  q quit  ? help")
    }
}
