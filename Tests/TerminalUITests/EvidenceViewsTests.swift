@testable import Diagnosis
import Foundation
import MailAuth
import Probes
@testable import TerminalUI
import XCTest

/// The evidence views as the keys reach them: the transcript and its search,
/// the DNS records, the certificate chain.
final class EvidenceViewsTests: XCTestCase {
    private let target = Target(host: EvidenceFixture.host, port: 587)

    private func transcriptModel(rows: Int = 24, columns: Int = 80) -> WizardModel {
        var model = EvidenceFixture.model(EvidenceFixture.run(target), rows: rows, columns: columns)
        EvidenceFixture.press(&model, .char("t"))
        XCTAssertEqual(model.panel?.kind, .transcript)
        return model
    }

    func testTranscriptMarksTheLinesUnderTLS() {
        let frame = WizardView.render(transcriptModel(rows: 50, columns: 120))
        EvidenceFixture.assertFits(frame)
        let ehloAfter = frame.lines.first { $0.text.contains("~> EHLO") }
        XCTAssertEqual(ehloAfter?.text.hasPrefix(" TLS ["), true, frame.text)
        XCTAssertEqual(ehloAfter?.spans.first { $0.text == "TLS " }?.style, .good)
        let plain = frame.lines.first { $0.text.contains("-> STARTTLS") }
        XCTAssertEqual(plain?.text.hasPrefix("     ["), true, frame.text)
        XCTAssertTrue(frame.text.contains("Session 2 of 2: 192.0.2.10:587 implicit TLS"), frame.text)
        XCTAssertTrue(frame.lines[49].text.contains("/ search"), frame.text)
    }

    func testSearchFindsHighlightsAndMovesWithN() {
        var model = transcriptModel()
        EvidenceFixture.press(&model, .char("/"))
        XCTAssertEqual(model.panel?.draft, "")
        // Letters are text while typing: s does not save, q does not quit.
        EvidenceFixture.type(&model, "startTLS")
        XCTAssertEqual(WizardView.render(model).lines[1].text, " Search: startTLS")
        EvidenceFixture.press(&model, .enter)
        XCTAssertEqual(model.panel?.query, "startTLS")
        XCTAssertEqual(model.panel?.match, 0)
        let lines = EvidenceScreen.content(model, .transcript, width: 80)
        let matches = Search.matchingLines(lines, query: "STARTTLS")
        XCTAssertEqual(matches.count, 3, "EHLO's STARTTLS, the command, and the 220 reply? \(matches)")
        var frame = WizardView.render(model)
        XCTAssertTrue(frame.lines[1].text.contains("\"startTLS\": 3 matching lines"), frame.lines[1].text)
        let highlighted = frame.lines.flatMap(\.spans).filter { $0.style == .reverse && $0.text.uppercased() == "STARTTLS" }
        XCTAssertFalse(highlighted.isEmpty, "matches in reverse video:\n\(frame.text)")
        XCTAssertTrue(frame.lines.contains { $0.text.hasPrefix(">") && $0.text.uppercased().contains("STARTTLS") }, frame.text)
        EvidenceFixture.press(&model, .char("n"))
        XCTAssertEqual(model.panel?.match, 1)
        EvidenceFixture.press(&model, .char("n"), .char("n"))
        XCTAssertEqual(model.panel?.match, 0, "n wraps around")
        XCTAssertEqual(model.panel?.note, "from the top again")
        EvidenceFixture.press(&model, .char("N"))
        XCTAssertEqual(model.panel?.match, 2)
        // No match: said so, nothing highlighted.
        EvidenceFixture.press(&model, .char("/"))
        EvidenceFixture.type(&model, "qsz")
        EvidenceFixture.press(&model, .enter)
        XCTAssertNil(model.panel?.match)
        frame = WizardView.render(model)
        XCTAssertTrue(frame.lines[1].text.contains("no match for \"qsz\""), frame.lines[1].text)
        XCTAssertFalse(frame.lines.flatMap(\.spans).contains { $0.style == .reverse && $0.text.count < 80 })
        // Esc leaves the view, back to the steps.
        EvidenceFixture.press(&model, .escape)
        XCTAssertNil(model.panel)
        XCTAssertEqual(model.screen, .steps)
    }

    func testSearchScrollsToAMatchBelowTheScreen() {
        var model = transcriptModel(rows: 16, columns: 60)
        EvidenceFixture.press(&model, .char("/"))
        EvidenceFixture.type(&model, "221 2.0.0")
        EvidenceFixture.press(&model, .enter)
        let frame = WizardView.render(model)
        XCTAssertGreaterThan(model.panel!.scroll, 0)
        XCTAssertTrue(frame.text.contains("221 2.0.0 Bye"), frame.text)
        EvidenceFixture.assertFits(frame)
    }

    func testScrollingStopsAtTheEnds() {
        var model = transcriptModel(rows: 16, columns: 60)
        EvidenceFixture.press(&model, .up)
        XCTAssertEqual(model.panel?.scroll, 0)
        EvidenceFixture.press(&model, .end)
        let count = EvidenceScreen.content(model, .transcript, width: 60).count
        XCTAssertEqual(model.panel?.scroll, count - EvidenceScreen.viewport(rows: 16))
        EvidenceFixture.press(&model, .pageDown)
        XCTAssertEqual(model.panel?.scroll, count - EvidenceScreen.viewport(rows: 16))
        EvidenceFixture.press(&model, .home)
        XCTAssertEqual(model.panel?.scroll, 0)
    }

    func testDNSRecordsListEveryLookupWithItsServer() {
        var model = EvidenceFixture.model(EvidenceFixture.run(target), screen: .verdict)
        EvidenceFixture.press(&model, .char("d"))
        let frame = WizardView.render(model)
        EvidenceFixture.assertFits(frame)
        XCTAssertTrue(frame.text.contains("Host resolution of mail.example.com - 2 lookups"), frame.text)
        XCTAssertTrue(frame.text.contains("asked of 192.0.2.53:5353"), frame.text)
        XCTAssertTrue(frame.text.contains("A    mail.example.com  3 ms"), frame.text)
        XCTAssertTrue(frame.text.contains("-> A 192.0.2.10 (ttl 300)"), frame.text)
        XCTAssertTrue(frame.text.contains("-> no records of this type"), frame.text)
    }

    func testSpamFamilyLookupsAppearBySection() {
        var facts = Facts(target: Target(host: "example.com"))
        facts.dmarc = DMARCCheck(domain: "example.com", discovery: .missing(checked: ["_dmarc.example.com"]),
                                 lookups: [EvidenceFixture.lookup("_dmarc.example.com", .txt, .answer([.txt(strings: ["v=DMARC1; p=reject\u{1b}[2J"])], canonicalName: nil))])
        let lines = DNSRecordsView.sections(facts)
        XCTAssertEqual(lines.map(\.0), ["DMARC of example.com"])
        var state = DiagnosisState(target: facts.target, symptom: .spam)
        state.facts = facts
        let text = DNSRecordsView.lines(state, width: 80).map(\.text).joined(separator: "\n")
        XCTAssertTrue(text.contains("TXT  _dmarc.example.com"), text)
        XCTAssertFalse(text.contains("\u{1b}"), "escape sequences never reach the screen")
        XCTAssertTrue(text.contains("\\x1B[2J"), text)
    }

    func testCertificateChainShowsEveryCertificateAndTheVerdict() {
        var model = EvidenceFixture.model(EvidenceFixture.run(target), rows: 50, columns: 120)
        EvidenceFixture.press(&model, .char("x"))
        var text = WizardView.render(model).text
        XCTAssertTrue(text.contains("192.0.2.10:587 STARTTLS if offered: TLSv1.3"), text)
        XCTAssertTrue(text.contains("Verdict: trusted"), text)
        XCTAssertTrue(text.contains("#1 the server's own"), text)
        XCTAssertTrue(text.contains("subject CN=mail.example.com"), text)
        XCTAssertTrue(text.contains("issuer  CN=Example Issuing CA"), text)
        XCTAssertTrue(text.contains("valid   2025-01-01T00:00:00Z to 2027-01-01T00:00:00Z"), text)
        XCTAssertTrue(text.contains("names   mail.example.com, smtp.example.com"), text)
        XCTAssertTrue(text.contains("#2 intermediate"), text)

        let expired = EvidenceFixture.startTLSSession(problems: [.expired(notAfter: Date(timeIntervalSince1970: 1_609_459_200))])
        model = EvidenceFixture.model(EvidenceFixture.run(target, primary: expired), rows: 50, columns: 120)
        EvidenceFixture.press(&model, .char("x"))
        text = WizardView.render(model).text
        XCTAssertTrue(text.contains("Problem: expired on 2021-01-01T00:00:00Z"), text)
    }

    func testViewsSwitchByKeyAndHelpOpensOverThem() {
        var model = transcriptModel()
        EvidenceFixture.press(&model, .char("w"))
        XCTAssertEqual(model.panel?.kind, .waterfall)
        EvidenceFixture.press(&model, .char("?"))
        XCTAssertTrue(model.showHelp)
        EvidenceFixture.press(&model, .char("z"))
        XCTAssertFalse(model.showHelp)
        XCTAssertEqual(model.panel?.kind, .waterfall, "closing help returns to the view")
        XCTAssertEqual(EvidenceFixture.press(&model, .char("q")), [.quit])
    }

    func testSpamFamilyHasNoTranscriptAndSaysWhy() {
        var state = DiagnosisState(target: Target(host: "example.com"), symptom: .spam)
        _ = DiagnosisReducer.reduce(&state, .started)
        var model = EvidenceFixture.model(state)
        EvidenceFixture.press(&model, .char("t"))
        XCTAssertTrue(WizardView.render(model).text.contains("checks the sender's DNS records only"), WizardView.render(model).text)
        XCTAssertEqual(KeyBar.evidenceKinds(state), [.dnsRecords, .waterfall, .commands])
    }
}
