import XCTest
import Explain

/// Input from a paste, a file or a hostile server: bounded, clean, no crash.
final class ExplainerHostileInputTests: XCTestCase {
    private func assertClean(_ explanations: [Explanation], file: StaticString = #filePath, line: UInt = #line) throws {
        let data = try JSONEncoder().encode(explanations)
        // JSONEncoder writes control characters as \u00XX escapes; none may be there.
        let json = String(decoding: data, as: UTF8.self)
        XCTAssertFalse(json.contains("\\u00"), "a control character reached the output", file: file, line: line)
        for e in explanations {
            var strings = [e.title, e.meaning, e.text] + e.advice + e.causes + e.notes
            strings += e.entities.ips + e.entities.zones + e.entities.domains + e.entities.mailboxes + e.entities.hosts
            strings += e.nextChecks.map(\.commandLine)
            for s in strings {
                XCTAssertFalse(s.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f || (0x80..<0xa0).contains($0.value) },
                               "control character in \(s.debugDescription)", file: file, line: line)
            }
        }
    }

    func testOneMegabyteIsBoundedToSixtyFourKiB() throws {
        let line = "550 5.7.1 blocked using zen.spamhaus.org client [192.0.2.1] " + String(repeating: "x", count: 200) + "\n"
        let text = String(repeating: line, count: 1_048_576 / line.utf8.count + 1)
        XCTAssertGreaterThan(text.utf8.count, 1_000_000)
        let start = Date()
        let explanations = Explainer.explain(text)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        XCTAssertLessThanOrEqual(explanations.count, ReplyLineParser.maxReplies)
        XCTAssertTrue(explanations.first?.notes.contains { $0.contains("64 KiB") } ?? false)
        try assertClean(explanations)
    }

    func testOneMegabyteOfOneLine() throws {
        let text = "550 5.1.1 " + String(repeating: "a@b.c 1.2.3.4 ", count: 80_000)
        let explanations = Explainer.explain(text)
        XCTAssertEqual(explanations.count, 1)
        XCTAssertLessThanOrEqual(explanations[0].text.utf8.count, 4096 + 4)
        XCTAssertLessThanOrEqual(explanations[0].entities.mailboxes.count, 32)
        try assertClean(explanations)
    }

    func testTenThousandDistinctLinesGiveAtMostFiftyReplies() throws {
        let text = (0..<10_000).map { "<<< 550 5.1.1 <user\($0)@example.org>: User unknown" }.joined(separator: "\n")
        let explanations = Explainer.explain(text)
        XCTAssertEqual(explanations.count, ReplyLineParser.maxReplies)
        try assertClean(explanations)
    }

    func testTenThousandContinuationLines() throws {
        let text = (0..<10_000).map { _ in "550-5.7.1 more text" }.joined(separator: "\n")
        let explanations = Explainer.explain(text)
        XCTAssertGreaterThan(explanations.count, 0)
        XCTAssertLessThanOrEqual(explanations.count, ReplyLineParser.maxReplies)
        try assertClean(explanations)
    }

    func testNULBytesAndANSIEscapes() throws {
        let text = "\u{1B}[31m550 5.7.1\u{1B}[0m Relay \u{0}access denied\u{7} \u{1B}]0;evil title\u{7}for <a@\u{0}example.org>\u{9B}2J \u{1B}[2J"
        let explanations = Explainer.explain(text)
        XCTAssertEqual(explanations.count, 1)
        XCTAssertEqual(explanations.first?.codes.reply, 550)
        XCTAssertFalse(explanations.first?.text.contains("evil title") ?? true, "OSC payload is dropped")
        try assertClean(explanations)
    }

    func testControlCharactersEverywhereWithoutACode() throws {
        var scalars = String.UnicodeScalarView()
        for value in 0..<0xA0 { scalars.append(Unicode.Scalar(UInt8(value))) }
        let text = String(String(scalars) + " connection timed out " + String(scalars))
        let explanations = Explainer.explain(text)
        XCTAssertEqual(explanations.count, 1)
        try assertClean(explanations)
    }

    func testGarbageAndInvalidUTF8() throws {
        let bytes: [UInt8] = [0xFF, 0xFE, 0x35, 0x35, 0x30, 0x20, 0xC3, 0x28, 0x20, 0x35, 0x2E, 0x37, 0x2E, 0x31, 0x0A, 0xE2, 0x82]
        let text = String(decoding: bytes, as: UTF8.self)
        try assertClean(Explainer.explain(text))
        try assertClean(Explainer.explain(String(repeating: "5", count: 100_000)))
        try assertClean(Explainer.explain(String(repeating: "5.5.5.", count: 20_000)))
        try assertClean(Explainer.explain(String(repeating: "@", count: 100_000)))
        try assertClean(Explainer.explain(String(repeating: "a.", count: 50_000)))
        try assertClean(Explainer.explain(String(repeating: ":", count: 100_000)))
        try assertClean(Explainer.explain(String(repeating: "[", count: 100_000)))
        try assertClean(Explainer.explain(String(repeating: "\n", count: 100_000)))
        try assertClean(Explainer.explain(String(repeating: "550-", count: 30_000)))
    }

    func testMultibyteTextCutAtTheLimitStaysValid() throws {
        let text = "550 5.7.1 " + String(repeating: "é日本", count: 30_000)
        let explanations = Explainer.explain(text)
        XCTAssertEqual(explanations.count, 1)
        XCTAssertFalse(explanations[0].text.contains("\u{FFFD}"))
        try assertClean(explanations)
    }
}
