@testable import Diagnosis
@testable import TerminalUI
import XCTest

/// ASCII stand-ins when the locale is not UTF-8; no control character ever
/// reaches curses; monochrome under NO_COLOR or without colours.
final class TerminalTextTests: XCTestCase {
    private func isASCII(_ text: String) -> Bool { text.unicodeScalars.allSatisfy { $0.value < 0x80 } }

    func testBordersArrowsAndSymbolsHaveASCIIStandIns() {
        let cases: [(String, String)] = [
            ("┌──┬──┐", "+--+--+"), ("│ ok │", "| ok |"), ("╰─╯", "+-+"), ("═║╔", "-|+"),
            ("✓ ✗ • … → ← ↑ ↓", "v x * . > < ^ v"), ("“quoted” ‘x’ – —", "\"quoted\" 'x' - -"),
            ("▶ ● ○ █ ░ ⠋", "> * o # . *"), ("café naïve Ångström", "cafe naive Angstrom"), ("漢 ☃", "? ?"),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(TerminalText.map(input, ascii: true), expected, input)
        }
    }

    func testTheMappingKeepsOneCharacterPerCell() {
        var all = ""
        for value in 0x80...0x2fff { if let scalar = Unicode.Scalar(value) { all.unicodeScalars.append(scalar) } }
        let mapped = TerminalText.map(all, ascii: true)
        XCTAssertTrue(isASCII(mapped))
        XCTAssertEqual(mapped.count, all.count)
    }

    func testControlCharactersNeverReachTheTerminal() {
        let hostile = "evil\u{1b}[2J\u{07}\u{9b}31m\u{7f}"
        for ascii in [true, false] {
            let shown = TerminalText.map(hostile, ascii: ascii)
            XCTAssertFalse(shown.unicodeScalars.contains { $0.value < 0x20 || (0x7f..<0xa0).contains($0.value) }, shown)
            XCTAssertEqual(shown.count, hostile.count)
        }
        XCTAssertEqual(TerminalText.map("naïve ✓", ascii: false), "naïve ✓", "UTF-8 keeps what it can show")
    }

    /// Every screen the wizard draws, in ASCII, has no byte of 0x80 or more and keeps its layout.
    func testEveryScreenDrawsInASCII() {
        var m = WizardModel(target: Target(host: "192.0.2.1", port: 25), prefilledHost: true)
        var frames: [Frame] = [WizardView.render(m)]
        m.recent = [RecentTarget(symptom: .refused, host: "mail.example.test", port: 587, tls: .auto)]
        frames.append(WizardView.render(m))
        _ = WizardReducer.reduce(&m, .key(.enter))
        frames.append(WizardView.render(m))
        _ = WizardReducer.reduce(&m, .key(.enter))
        frames.append(WizardView.render(m))
        m.diagnosis?.steps[0].evidence = ["naïve “quoted” ✓ → done…", "漢字 résumé"]
        frames.append(WizardView.render(m))
        m.screen = .verdict
        m.savePrompt = SavePrompt(path: "./rapport-été.json")
        frames.append(WizardView.render(m))
        m.savePrompt = nil
        m.showHelp = true
        frames.append(WizardView.render(m))
        for frame in frames {
            let ascii = frame.forTerminal(ascii: true)
            XCTAssertTrue(isASCII(ascii.text), ascii.text)
            XCTAssertEqual(ascii.lines.map { $0.text.count }, frame.lines.map { $0.text.count })
        }
    }

    func testColoursFollowNO_COLORAndTheTerminal() {
        typealias C = Terminal.Capabilities
        XCTAssertTrue(C.decide(hasColors: true, noColor: nil, localeIsUTF8: true).colors)
        XCTAssertFalse(C.decide(hasColors: true, noColor: "1", localeIsUTF8: true).colors)
        XCTAssertFalse(C.decide(hasColors: true, noColor: "yes please", localeIsUTF8: true).colors)
        XCTAssertTrue(C.decide(hasColors: true, noColor: "", localeIsUTF8: true).colors, "no-color.org: an empty NO_COLOR does not count")
        XCTAssertFalse(C.decide(hasColors: false, noColor: nil, localeIsUTF8: true).colors)
        XCTAssertFalse(C.decide(hasColors: true, noColor: nil, localeIsUTF8: false).unicode)
    }
}
