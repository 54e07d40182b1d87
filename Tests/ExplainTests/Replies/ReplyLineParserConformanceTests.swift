import XCTest
import Explain
import TestSupport

/// Real reply lines from Sisimai's bounce samples: the parser must find the
/// reply code and enhanced status Sisimai expects for each.
final class ReplyLineParserConformanceTests: XCTestCase {
    private struct Corpus: Decodable {
        struct Line: Decodable {
            var file: String
            var line: String
            var reply_code: String
            var enhanced_status: String
        }
        struct Fragment: Decodable {
            var file: String
            var lines: [String]
        }
        var reply_lines: [Line]
        var dialogue_fragments: [Fragment]
    }

    func testSisimaiReplyLines() throws {
        guard let url = ConformanceData.file("bounces/sisimai-smtp-reply-lines.json") else {
            print("Sisimai reply lines: skipped (conformance data not found)")
            throw XCTSkip("conformance data not found")
        }
        let corpus = try JSONDecoder().decode(Corpus.self, from: Data(contentsOf: url))
        XCTAssertFalse(corpus.reply_lines.isEmpty)
        var passed = 0
        var failures: [String] = []
        for entry in corpus.reply_lines {
            let reply = ReplyLineParser.parseLine(entry.line)
            let code = reply?.code.map(String.init) ?? "-"
            let enhanced = reply?.enhanced?.description ?? "-"
            if code == entry.reply_code && enhanced == entry.enhanced_status {
                passed += 1
            } else {
                failures.append("\(entry.file): got \(code) \(enhanced), want \(entry.reply_code) \(entry.enhanced_status): \(entry.line.prefix(160))")
            }
        }
        let total = corpus.reply_lines.count
        print("Sisimai reply lines: \(passed)/\(total)")
        if passed * 100 < total * 98 || !failures.isEmpty {
            for failure in failures { print("  " + failure) }
        }
        XCTAssertGreaterThanOrEqual(Double(passed) / Double(total), 0.98)
    }

    /// SMTP transcripts from the same samples (`>>> ` sent, `<<< ` received):
    /// every received reply is found, none swallows a sent line, and a reply
    /// that follows a command knows which command it answered.
    func testSisimaiDialogueFragments() throws {
        guard let url = ConformanceData.file("bounces/sisimai-smtp-reply-lines.json") else {
            print("Sisimai dialogue fragments: skipped (conformance data not found)")
            throw XCTSkip("conformance data not found")
        }
        let corpus = try JSONDecoder().decode(Corpus.self, from: Data(contentsOf: url))
        var withStage = 0
        var replies = 0
        for fragment in corpus.dialogue_fragments {
            let parsed = ReplyLineParser.parse(fragment.lines.joined(separator: "\n"))
            let received = fragment.lines.filter { $0.hasPrefix("<<<") || $0.hasPrefix("In:") }
            if !received.isEmpty { XCTAssertFalse(parsed.isEmpty, fragment.file) }
            for reply in parsed {
                replies += 1
                if reply.stage != nil { withStage += 1 }
                XCTAssertFalse(reply.lines.contains { $0.hasPrefix(">>>") }, "\(fragment.file): \(reply.lines)")
            }
        }
        print("Sisimai dialogue fragments: \(corpus.dialogue_fragments.count) transcripts, \(replies) replies, \(withStage) with a stage")
    }
}
