import CAres
import XCTest
@testable import Probes

/// Hand-built DNS answers through c-ares's parsers, and status mapping.
final class DNSAnswerParserTests: XCTestCase {
    typealias M = DNSMessageBuilder
    /// Offset of "example" inside the question "mail.example.com" (12 + 1 + 4).
    let exampleOffset = 17

    private func ip(_ text: String) -> IPAddress { IPAddress(text)! }

    func testTwoARecords() {
        var m = M(answers: 2, question: "mail.example.com", type: M.typeA)
        m.answer(type: M.typeA, ttl: 300, rdata: [192, 0, 2, 1])
        m.answer(type: M.typeA, ttl: 600, rdata: [192, 0, 2, 2])
        XCTAssertEqual(DNSAnswerParser.parse(m.bytes, type: .a),
                       .answer([.address(ip("192.0.2.1"), ttl: 300), .address(ip("192.0.2.2"), ttl: 600)], canonicalName: nil))
    }

    func testAAAARecord() {
        var m = M(answers: 1, question: "mail.example.com", type: M.typeAAAA)
        m.answer(type: M.typeAAAA, ttl: 3600, rdata: ip("2001:db8::25").bytes)
        XCTAssertEqual(DNSAnswerParser.parse(m.bytes, type: .aaaa),
                       .answer([.address(ip("2001:db8::25"), ttl: 3600)], canonicalName: nil))
    }

    func testAThroughACNAMESetsTheCanonicalName() {
        var m = M(answers: 2, question: "mail.example.com", type: M.typeA)
        let target = M.labels("smtp") + M.pointer(exampleOffset)      // smtp.example.com, compressed
        m.answer(type: M.typeCNAME, rdata: target)
        m.record(owner: target, type: M.typeA, rdata: [192, 0, 2, 25])
        XCTAssertEqual(DNSAnswerParser.parse(m.bytes, type: .a),
                       .answer([.address(ip("192.0.2.25"), ttl: 300)], canonicalName: "smtp.example.com"))
    }

    func testTwoMXRecordsWithCompressedExchanges() {
        var m = M(answers: 2, question: "example.com", type: M.typeMX)
        m.answer(type: M.typeMX, rdata: M.u16(10) + M.labels("mx1") + M.pointer(M.questionOffset))
        m.answer(type: M.typeMX, rdata: M.u16(20) + M.labels("mx2") + M.pointer(M.questionOffset))
        XCTAssertEqual(DNSAnswerParser.parse(m.bytes, type: .mx),
                       .answer([.mx(preference: 10, exchange: "mx1.example.com"), .mx(preference: 20, exchange: "mx2.example.com")],
                               canonicalName: nil))
    }

    func testTXTRecordOfTwoStringsStaysOneRecord() {
        var m = M(answers: 2, question: "example.com", type: M.typeTXT)
        m.answer(type: M.typeTXT, rdata: M.characterStrings(["a", "b"]))
        m.answer(type: M.typeTXT, rdata: M.characterStrings(["v=spf1 -all"]))
        let outcome = DNSAnswerParser.parse(m.bytes, type: .txt)
        XCTAssertEqual(outcome, .answer([.txt(strings: ["a", "b"]), .txt(strings: ["v=spf1 -all"])], canonicalName: nil))
        XCTAssertEqual(outcome.records.first?.description, "TXT \"a\" \"b\"")
    }

    func testTXTRecordWithAnEmptyString() {
        var m = M(answers: 1, question: "example.com", type: M.typeTXT)
        m.answer(type: M.typeTXT, rdata: M.characterStrings(["", "x"]))
        XCTAssertEqual(DNSAnswerParser.parse(m.bytes, type: .txt), .answer([.txt(strings: ["", "x"])], canonicalName: nil))
    }

    func testPTRRecord() {
        var m = M(answers: 1, question: "10.2.0.192.in-addr.arpa", type: M.typePTR)
        m.answer(type: M.typePTR, rdata: M.name("mail.example.com"))
        XCTAssertEqual(DNSAnswerParser.parse(m.bytes, type: .ptr), .answer([.ptr("mail.example.com")], canonicalName: nil))
    }

    func testEmptyAnswerIsNoDataForEveryType() {
        let types: [(DNSRecordType, UInt16)] = [(.a, M.typeA), (.aaaa, M.typeAAAA), (.mx, M.typeMX), (.txt, M.typeTXT), (.ptr, M.typePTR)]
        for (type, wire) in types {
            let m = M(answers: 0, question: "example.com", type: wire)
            XCTAssertEqual(DNSAnswerParser.parse(m.bytes, type: type), .noData, "\(type)")
        }
    }

    func testCNAMEWithoutAnAddressIsNoData() {
        var m = M(answers: 1, question: "mail.example.com", type: M.typeA)
        m.answer(type: M.typeCNAME, rdata: M.labels("smtp") + M.pointer(exampleOffset))
        XCTAssertEqual(DNSAnswerParser.parse(m.bytes, type: .a), .noData)
    }

    func testEmptyMessageIsMalformed() {
        XCTAssertEqual(DNSAnswerParser.parse([], type: .a), .malformed("empty answer"))
    }

    func testEveryTruncationIsMalformedNeverACrash() {
        var m = M(answers: 2, question: "mail.example.com", type: M.typeA)
        m.answer(type: M.typeA, rdata: [192, 0, 2, 1])
        m.answer(type: M.typeA, rdata: [192, 0, 2, 2])
        for length in 1..<m.bytes.count {
            let outcome = DNSAnswerParser.parse(Array(m.bytes.prefix(length)), type: .a)
            guard case .malformed = outcome else { return XCTFail("\(length) bytes gave \(outcome)") }
        }
    }

    func testGarbageNeverCrashesAnyParser() {
        var seed: UInt64 = 0x5EED
        var parsed = 0
        for _ in 0..<200 {
            var garbage: [UInt8] = []
            for _ in 0..<Int(seed % 80) {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                garbage.append(UInt8(truncatingIfNeeded: seed >> 33))
            }
            for type in DNSRecordType.allCases {
                _ = DNSAnswerParser.parse(garbage, type: type)
                parsed += 1
            }
        }
        XCTAssertEqual(parsed, 1000)
        for type in DNSRecordType.allCases {
            guard case .malformed = DNSAnswerParser.parse([UInt8](repeating: 0xff, count: 40), type: type) else {
                return XCTFail("0xff * 40 was not malformed for \(type)")
            }
        }
    }

    func testCompressionLoopIsMalformed() {
        var m = M(answers: 1, question: "example.com", type: M.typeMX)
        let here = m.offset
        m.record(owner: M.pointer(here), type: M.typeMX, rdata: M.u16(10) + M.pointer(here))
        guard case .malformed = DNSAnswerParser.parse(m.bytes, type: .mx) else { return XCTFail("loop accepted") }
    }

    func testRDATALongerThanTheMessageIsMalformed() {
        var m = M(answers: 1, question: "mail.example.com", type: M.typeA)
        m.answer(type: M.typeA, rdata: [192, 0, 2, 1])
        var bytes = m.bytes
        bytes[bytes.count - 5] = 0x40   // RDLENGTH low byte: 64 bytes claimed, 4 present
        guard case .malformed = DNSAnswerParser.parse(bytes, type: .a) else { return XCTFail("overlong RDATA accepted") }
    }

    func testStatusesMapToOutcomes() {
        let cases: [(Int32, DNSOutcome)] = [
            (ARES_ENODATA, .noData), (ARES_ENOTFOUND, .nxdomain), (ARES_ESERVFAIL, .serverFailure),
            (ARES_EREFUSED, .refused), (ARES_ETIMEOUT, .timeout), (ARES_ECONNREFUSED, .serverUnreachable),
        ]
        for (status, expected) in cases {
            XCTAssertEqual(DNSAnswerParser.outcome(status: status, type: .a, buffer: nil, length: 0), expected, "status \(status)")
        }
        guard case .malformed = DNSAnswerParser.outcome(status: ARES_EBADRESP, type: .a, buffer: nil, length: 0) else { return XCTFail() }
        guard case .failure = DNSAnswerParser.outcome(status: ARES_ENOMEM, type: .a, buffer: nil, length: 0) else { return XCTFail() }
        XCTAssertEqual(DNSAnswerParser.outcome(status: ARES_SUCCESS, type: .a, buffer: nil, length: 0), .malformed("empty answer"))
    }

    func testResolverFailureClassification() {
        XCTAssertFalse(DNSOutcome.noData.isResolverFailure)
        XCTAssertFalse(DNSOutcome.nxdomain.isResolverFailure)
        XCTAssertFalse(DNSOutcome.answer([], canonicalName: nil).isResolverFailure)
        for failure: DNSOutcome in [.serverFailure, .refused, .timeout, .serverUnreachable, .malformed("x"), .failure("y")] {
            XCTAssertTrue(failure.isResolverFailure, "\(failure)")
        }
    }
}
