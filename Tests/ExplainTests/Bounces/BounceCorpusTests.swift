import Foundation
import TestSupport
import XCTest
@testable import Explain

/// Scores the parser against the expectations extracted from Sisimai's test
/// suite over its public set-of-emails corpus (conformance/bounces).
final class BounceCorpusTests: XCTestCase {
    struct Expectations: Decodable {
        var messages: [Message]
    }
    struct Message: Decodable {
        var file: String
        var engine: String
        var recipients: [Recipient]
    }
    struct Recipient: Decodable {
        var status: String
        var reply_code: String
        var hardbounce: Int
        var status_is_sisimai_pseudo: Bool
        var reason: String
    }

    /// Sisimai's own X.0.9NN codes are synthesised from its reason taxonomy, not read from the message.
    static func isPseudo(_ r: Recipient) -> Bool {
        if r.status_is_sisimai_pseudo { return true }
        let pieces = r.status.split(separator: ".")
        return pieces.count == 3 && pieces[1] == "0" && pieces[2].count == 3 && pieces[2].hasPrefix("9")
    }

    func testCorpusAccuracy() throws {
        guard let url = ConformanceData.file("bounces/sisimai-expectations.json") else {
            print("BounceCorpusTests: conformance/bounces not found; skipping")
            throw XCTSkip("conformance/bounces not available")
        }
        let expectations = try JSONDecoder().decode(Expectations.self, from: Data(contentsOf: url))
        var statusHits = 0, statusTotal = 0, replyHits = 0, replyTotal = 0
        var statusMisses: [String] = [], replyMisses: [String] = [], countMisses: [String] = []
        let verbose = ProcessInfo.processInfo.environment["BOUNCE_CORPUS_VERBOSE"] != nil
        let started = Date()
        for message in expectations.messages {
            guard let file = ConformanceData.file("bounces/" + message.file) else {
                XCTFail("missing corpus file \(message.file)")
                continue
            }
            let report = BounceParser.parse(try Data(contentsOf: file))
            if report.recipients.count != message.recipients.count {
                countMisses.append("\(message.file) [\(message.engine)] format=\(report.format): expected \(message.recipients.count) recipients, got \(report.recipients.count)")
            }
            if ProcessInfo.processInfo.environment["BOUNCE_CORPUS_DETAIL"] != nil {
                for (index, r) in report.recipients.enumerated() {
                    let expectedReason = index < message.recipients.count ? message.recipients[index].reason : "-"
                    print("detail: \(message.file)|\(message.engine)|\(report.format)|\(r.address)|\(r.status ?? "-")|\(r.replyCode.map(String.init) ?? "-")|\(expectedReason)|\(r.reason)|\(r.permanent.map(String.init) ?? "-")|\(String((r.diagnosticCode ?? "").prefix(140)))")
                }
            }
            for (index, expected) in message.recipients.enumerated() {
                let got = index < report.recipients.count ? report.recipients[index] : nil
                let label = "\(message.file) [\(message.engine)] #\(index) format=\(report.format) n=\(report.recipients.count)/\(message.recipients.count)"
                if !expected.status.isEmpty && !Self.isPseudo(expected) {
                    statusTotal += 1
                    if got?.status == expected.status {
                        statusHits += 1
                    } else {
                        statusMisses.append("\(label): expected \(expected.status), got \(got?.status ?? "nil")")
                    }
                }
                if !expected.reply_code.isEmpty {
                    replyTotal += 1
                    if got?.replyCode.map(String.init) == expected.reply_code {
                        replyHits += 1
                    } else {
                        replyMisses.append("\(label): expected \(expected.reply_code), got \(got?.replyCode.map(String.init) ?? "nil")")
                    }
                }
            }
        }
        let elapsed = Date().timeIntervalSince(started)
        let statusRate = Double(statusHits) / Double(max(statusTotal, 1))
        let replyRate = Double(replyHits) / Double(max(replyTotal, 1))
        print(String(format: "Bounce status accuracy: %d/%d (%.1f%%)", statusHits, statusTotal, statusRate * 100))
        print(String(format: "Bounce reply-code accuracy: %d/%d (%.1f%%)", replyHits, replyTotal, replyRate * 100))
        print("Bounce recipient-count agreement: \(expectations.messages.count - countMisses.count)/\(expectations.messages.count) messages")
        print(String(format: "Bounce corpus: %d messages parsed in %.2f s", expectations.messages.count, elapsed))
        if verbose || statusRate < 0.95 {
            statusMisses.forEach { print("status miss: \($0)") }
        }
        if verbose {
            replyMisses.forEach { print("reply-code miss: \($0)") }
            countMisses.forEach { print("count miss: \($0)") }
        }
        XCTAssertGreaterThanOrEqual(statusRate, 0.95, "status accuracy below 95%; misses listed above")
    }

    /// Every file of the corpus, expected or not, parses without trapping.
    func testEveryCorpusFileParses() throws {
        guard let folder = ConformanceData.file("bounces/maildir-bsd") else {
            print("BounceCorpusTests: conformance/bounces/maildir-bsd not found; skipping")
            throw XCTSkip("conformance/bounces not available")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".eml") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 589)
        var withRecipients = 0
        for name in names {
            let report = BounceParser.parse(try Data(contentsOf: folder.appendingPathComponent(name)))
            if !report.recipients.isEmpty { withRecipients += 1 }
            XCTAssertFalse(report.format.isEmpty, name)
        }
        print("Bounce corpus: \(names.count) files parsed, \(withRecipients) with recipients")
    }

    /// BOUNCE_DEBUG_FILE=path prints the report for one file as JSON (a development aid).
    func testDebugOneFile() throws {
        guard let path = ProcessInfo.processInfo.environment["BOUNCE_DEBUG_FILE"] else { return }
        let report = BounceParser.parse(try Data(contentsOf: URL(fileURLWithPath: path)))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }
}
