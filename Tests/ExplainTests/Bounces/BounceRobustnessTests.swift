import Foundation
import XCTest
@testable import Explain
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hostile and broken input: the parser must finish quickly, stay within its
/// limits, say what it skipped, and never trap.
final class BounceRobustnessTests: XCTestCase {
    /// A small deterministic generator, so a failure can be replayed.
    struct XorShift: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    /// Resident memory now and at its peak, in bytes. On Linux the peak is first
    /// reset (writing 5 to /proc/self/clear_refs), so it measures only what follows.
    static func memory(resetPeak: Bool = false) -> (current: Int, peak: Int) {
        #if os(Linux)
        if resetPeak { try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8) }
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        func kib(_ field: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }) else { return 0 }
            return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
        }
        return (kib("VmRSS:"), kib("VmHWM:"))
        #else
        var usage = rusage()
        getrusage(RUSAGE_SELF, &usage)
        return (usage.ru_maxrss, usage.ru_maxrss)
        #endif
    }

    static func assertClean(_ report: BounceReport, file: StaticString = #filePath, line: UInt = #line) {
        let strings = [report.format] + report.problems + report.recipients.flatMap {
            [$0.address, $0.reason, $0.diagnosticCode ?? "", $0.status ?? "", $0.remoteMTA ?? ""]
        } + [report.originalSubject ?? "", report.originalFrom ?? "", report.originalMessageID ?? ""]
        for string in strings {
            XCTAssertFalse(string.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "unclean: \(string.debugDescription)",
                           file: file, line: line)
        }
    }

    func testEmptyInput() {
        let report = BounceParser.parse(Data())
        XCTAssertTrue(report.recipients.isEmpty)
        XCTAssertTrue(report.problems.contains("The input is empty."), "\(report.problems)")
    }

    func testRandomBytesNeverTrap() {
        var random = XorShift(state: 0x5EED_1234_ABCD_0001)
        for size in [1, 2, 17, 300, 4_096, 65_536, 1_048_576] {
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }
            Self.assertClean(BounceParser.parse(Data(bytes)))
        }
    }

    /// Random sequences of the tokens parsers trip over: boundaries, encodings, fields.
    func testRandomMIMEishTokensNeverTrap() {
        let tokens = [
            "\r\n", "\n", "\r\n\r\n", "--b", "--b--", "Content-Type: multipart/mixed; boundary=b", "Content-Type: message/rfc822",
            "Content-Type: message/delivery-status", "Content-Transfer-Encoding: base64", "Content-Transfer-Encoding: quoted-printable",
            "=?utf-8?B?", "=?x?Q?=FF?=", "?=", "=", "=\r\n", "Final-Recipient: rfc822; ", "Status: 5.", "Diagnostic-Code: smtp; 550 ",
            "a@b.c", "<x@y.z>", "@", "5.1.1", "550-", " ", "\t", "\u{1B}[31m", "\u{0}", "é", "{\"notificationType\":", "From ",
        ]
        var random = XorShift(state: 42)
        for _ in 0..<300 {
            let count = Int.random(in: 1...120, using: &random)
            let text = (0..<count).map { _ in tokens.randomElement(using: &random)! }.joined()
            Self.assertClean(BounceParser.parse(Data(text.utf8)))
        }
    }

    func testTruncatedMIMEAtEveryLength() {
        let full = Array(BounceParserTests.dsn(recipientGroups: [[
            "Final-Recipient: rfc822; a@example.net", "Action: failed", "Status: 5.1.1", "Diagnostic-Code: smtp; 550 5.1.1 unknown",
        ]]).joined(separator: "\r\n").utf8)
        for length in stride(from: 0, through: full.count, by: 5) {
            Self.assertClean(BounceParser.parse(Data(full.prefix(length))))
        }
        // Cut inside the returned headers: the report before the cut is still read.
        let cut = String(decoding: full, as: UTF8.self).range(of: "To: someone@example.net")!.lowerBound.utf16Offset(in: String(decoding: full, as: UTF8.self))
        let half = BounceParser.parse(Data(full.prefix(cut)))
        XCTAssertEqual(half.recipients.first?.status, "5.1.1")
        XCTAssertTrue(half.problems.contains { $0.contains("closing boundary") })
    }

    func testOneMegabyteHeaderLineIsCut() {
        var bytes = Array("X-Long: ".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "a"), count: 1_048_576)
        bytes += Array("\r\nSubject: Returned mail\r\n\r\nbody".utf8)
        let message = MIMEMessage(bytes: bytes)
        XCTAssertEqual(message.header["Subject"], "Returned mail")
        XCTAssertEqual(message.header["X-Long"]?.utf8.count, MIMELimits.standard.maxHeaderFieldBytes)
        XCTAssertTrue(message.problems.contains { $0.contains("cut short") })
        Self.assertClean(BounceParser.parse(bytes))
    }

    func testThousandNestedMultipartsStopAtTheDepthLimit() {
        var lines: [String] = []
        for level in 0..<1_000 {
            lines += ["Content-Type: multipart/mixed; boundary=\"level\(level)\"", "", "--level\(level)"]
        }
        lines += ["Content-Type: text/plain", "", "550 5.1.1 user unknown: deep@example.net"]
        for level in (0..<1_000).reversed() { lines.append("--level\(level)--") }
        let started = Date()
        let report = BounceParser.parse(Data(lines.joined(separator: "\r\n").utf8))
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertTrue(report.problems.contains { $0.contains("nested deeper than 20 levels") }, "\(report.problems)")
        let message = MIMEMessage(bytes: Array(lines.joined(separator: "\r\n").utf8))
        XCTAssertLessThanOrEqual(message.parts.map(\.depth).max() ?? 0, MIMELimits.standard.maxDepth)
        Self.assertClean(report)
    }

    func testTooManyPartsAreCounted() {
        var text = "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
        for _ in 0..<10_050 { text += "--b\r\n\r\nx\r\n" }
        let message = MIMEMessage(bytes: Array(text.utf8))
        XCTAssertLessThanOrEqual(message.parts.count, MIMELimits.standard.maxParts)
        XCTAssertTrue(message.problems.contains { $0.contains("More than 10000 MIME parts") }, "\(message.problems)")
    }

    /// Thousands of report parts, each naming a recipient: bounded time, capped list.
    func testManyReportPartsStayWithinTheRecipientLimit() {
        var text = "From: MAILER-DAEMON@example.org\r\nContent-Type: multipart/report; boundary=b\r\n\r\n"
        for n in 0..<9_000 {
            text += "--b\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; u\(n)@example.net\r\nStatus: 5.1.1\r\n"
            text += "--b\r\nContent-Type: text/plain\r\n\r\nu\(n)@example.net: 550 5.1.1 unknown\r\n"
        }
        let started = Date()
        let report = BounceParser.parse(Data(text.utf8))
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
        XCTAssertEqual(report.recipients.count, MIMELimits.standard.maxRecipients)
        XCTAssertTrue(report.problems.contains { $0.contains("More than 2000 recipients") }, "\(report.problems)")
    }

    func testTooManyRecipientsAreCut() {
        let groups = (0..<2_100).map { ["Final-Recipient: rfc822; user\($0)@example.net", "Action: failed", "Status: 5.1.1"] }
        let report = BounceParser.parse(Data(BounceParserTests.dsn(recipientGroups: groups).joined(separator: "\r\n").utf8))
        XCTAssertEqual(report.recipients.count, MIMELimits.standard.maxRecipients)
        XCTAssertTrue(report.problems.contains { $0.contains("More than 2000 recipients") }, "\(report.problems)")
    }

    func testInputOverTheSizeLimitIsRefused() {
        let started = Date()
        let report = BounceParser.parse(Data(count: MIMELimits.standard.maxInputBytes + 1))
        XCTAssertLessThan(Date().timeIntervalSince(started), 1)
        XCTAssertTrue(report.recipients.isEmpty)
        XCTAssertEqual(report.problems, ["The input is 67108865 bytes, more than the 64 MiB limit: not read."])
    }

    func testFileReadingIsBoundedAndExplainsFailures() throws {
        var limits = MIMELimits()
        limits.maxInputBytes = 100
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bounce-\(UUID().uuidString).eml")
        try Data(repeating: UInt8(ascii: "a"), count: 200).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let tooLarge = BounceParser.parse(fileAt: url.path, limits: limits)
        XCTAssertEqual(tooLarge.problems, ["The input is more than 100 bytes, more than the 100 bytes limit: not read."])
        let missing = BounceParser.parse(fileAt: "/nonexistent/bounce.eml")
        XCTAssertTrue(missing.problems.first?.contains("could not be opened") ?? false, "\(missing.problems)")
    }

    /// A 50 MB bounce (the original message returned in full): quick, and no
    /// more than a few copies of the input in memory.
    func testFiftyMegabyteMessage() {
        let head = BounceParserTests.dsn(recipientGroups: [[
            "Final-Recipient: rfc822; big@example.net", "Action: failed", "Status: 5.3.4",
            "Diagnostic-Code: smtp; 552 5.3.4 Message size exceeds fixed maximum message size",
        ]]).dropLast(9).joined(separator: "\r\n")   // without its text/rfc822-headers part
        // Built straight into Data, so that building it does not set the memory peak.
        var data = Data(capacity: 50_100_000)
        data.append(contentsOf: Array((head + "\r\n--BOUNDARY\r\nContent-Type: message/rfc822\r\n\r\nSubject: big\r\n\r\n").utf8))
        let line = Array(String(repeating: "0123456789", count: 7).utf8) + [0x0D, 0x0A]
        var chunk: [UInt8] = []
        for _ in 0..<(1_048_576 / line.count) { chunk += line }
        while data.count < 50_000_000 { data.append(contentsOf: chunk) }
        data.append(contentsOf: Array("\r\n--BOUNDARY--\r\n".utf8))

        let before = Self.memory(resetPeak: true)
        let started = Date()
        let report = BounceParser.parse(data)
        let elapsed = Date().timeIntervalSince(started)
        let growth = Self.memory().peak - before.current
        print(String(format: "50 MB bounce: parsed in %.2f s, peak memory %d MB above the %d MB before", elapsed,
                     growth / 1_000_000, before.current / 1_000_000))
        XCTAssertEqual(report.recipients.first?.status, "5.3.4")
        XCTAssertEqual(report.originalSubject, "big")
        XCTAssertLessThan(elapsed, 10)
        // One working copy of the input (Data to bytes); parts are slices of it, not copies.
        XCTAssertLessThan(growth, 2 * data.count, "the parser should hold no more than one extra copy of the input")
    }

    /// A plain-text bounce whose 50 MB body is all one part: only a prefix is read as text.
    func testFiftyMegabytePlainTextBody() {
        var bytes = Array("From: MAILER-DAEMON@example.org\r\nSubject: failure notice\r\n\r\n<u@example.net>:\r\n550 5.1.1 unknown\r\n\r\n--- Below this line is a copy of the message.\r\n\r\n".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 50_000_000)
        let started = Date()
        let report = BounceParser.parse(Data(bytes))
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(report.recipients.map(\.address), ["u@example.net"])
        XCTAssertEqual(report.recipients.first?.status, "5.1.1")
    }

    /// The byte search that replaced Foundation's `contains` on long texts.
    func testByteSearchAgreesWithContains() {
        let texts = ["", "a", "user unknown", "550 5.1.1 <u@x>: user unknown", "ééé unknown ü", String(repeating: "a", count: 5000) + "ab"]
        let needles = ["", "a", "ab", "unknown", "user unknown", "ü", "é unknown", "zz", String(repeating: "a", count: 6000)]
        for text in texts {
            for needle in needles {
                XCTAssertEqual(text.containsBytes(of: needle), needle.isEmpty || text.contains(needle), "\(text.prefix(20)) / \(needle.prefix(20))")
            }
        }
        let abab = Array("abab".utf8), ab = Array("ab".utf8)
        XCTAssertEqual(ReplyBytes.find(ab, in: abab), 0)
        XCTAssertEqual(ReplyBytes.find(ab, in: abab, from: 1), 2)
        XCTAssertNil(ReplyBytes.find(ab, in: abab, from: 3))
        XCTAssertNil(ReplyBytes.find([], in: abab))
    }

    /// A bounce of one 1 MB line with its reason at the end: the phrase table
    /// is checked against all of it (once per phrase), and still found.
    func testOneMegabyteLineStillFindsTheReason() {
        let body = String(repeating: "a", count: 1_000_000) + " mailbox unavailable"
        let message = "From: MAILER-DAEMON@example.org\r\nSubject: Undelivered Mail Returned to Sender\r\n\r\n"
            + "<u@example.net>: " + body + "\r\n"
        let report = BounceParser.parse(Array(message.utf8))
        XCTAssertEqual(report.recipients.map(\.address), ["u@example.net"])
    }
}
