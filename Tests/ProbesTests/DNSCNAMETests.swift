import CAres
import XCTest
@testable import Probes

/// An answer holding only a CNAME (an authoritative server does not chase
/// names outside its zones) comes back as `.cname(target)`, so the resolver
/// can ask again there; a broken message never yields one.
final class DNSCNAMETests: XCTestCase {
    typealias M = DNSMessageBuilder
    /// Offset of "example" inside the question "_dmarc.example.com" (12 + 1 + 6).
    let exampleOffset = 19

    /// What the resolver sees for a successful query whose raw answer is `bytes`.
    func outcome(_ bytes: [UInt8], _ type: DNSRecordType = .txt) -> DNSOutcome {
        bytes.withUnsafeBufferPointer { raw in
            DNSAnswerParser.outcome(status: ARES_SUCCESS, type: type, buffer: raw.baseAddress, length: Int32(raw.count))
        }
    }

    func target(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { raw in
            guard let base = raw.baseAddress else { return nil }
            return DNSAnswerParser.cnameTarget(buffer: base, length: Int32(raw.count))
        }
    }

    /// `_dmarc.example.com TXT` answered by one CNAME to `target.example`, written out in full.
    func cnameOnly(answers: Int = 1) -> [UInt8] {
        var m = M(answers: answers, question: "_dmarc.example.com", type: M.typeTXT)
        m.answer(type: M.typeCNAME, rdata: M.name("target.example"))
        return m.bytes
    }

    func testATXTAnswerWithOnlyACNAMEIsTheCNAME() {
        XCTAssertEqual(outcome(cnameOnly()), .cname("target.example"))
        XCTAssertEqual(target(cnameOnly()), "target.example")
    }

    func testAnAddressAnswerWithOnlyACNAMEIsTheCNAMEToo() {
        var m = M(answers: 1, question: "mail.example.com", type: M.typeA)
        m.answer(type: M.typeCNAME, rdata: M.name("smtp.example.net"))
        XCTAssertEqual(outcome(m.bytes, .a), .cname("smtp.example.net"))
    }

    func testCNAMEFollowedByTheTXTRecordIsTheAnswer() {
        var m = M(answers: 2, question: "_dmarc.example.com", type: M.typeTXT)
        m.answer(type: M.typeCNAME, rdata: M.name("target.example"))
        m.record(owner: M.name("target.example"), type: M.typeTXT, rdata: M.characterStrings(["v=DMARC1; p=reject"]))
        XCTAssertEqual(outcome(m.bytes), .answer([.txt(strings: ["v=DMARC1; p=reject"])], canonicalName: nil))
    }

    func testCompressedOwnerAndTargetAreExpanded() {
        var m = M(answers: 1, question: "_dmarc.example.com", type: M.typeTXT)
        m.answer(type: M.typeCNAME, rdata: M.labels("dmarc") + M.pointer(exampleOffset))   // dmarc.example.com
        XCTAssertEqual(outcome(m.bytes), .cname("dmarc.example.com"))
    }

    func testACNAMEChainGivesItsLastTarget() {
        var m = M(answers: 2, question: "_dmarc.example.com", type: M.typeTXT)
        let first = m.offset + 12                           // the first CNAME's RDATA: after pointer, type, class, TTL, length
        m.answer(type: M.typeCNAME, rdata: M.labels("hop") + M.pointer(exampleOffset))      // hop.example.com
        m.record(owner: M.pointer(first), type: M.typeCNAME, rdata: M.labels("end") + M.pointer(first))  // end.hop.example.com
        XCTAssertEqual(outcome(m.bytes), .cname("end.hop.example.com"))
    }

    func testEveryTruncationGivesNoCNAMEAndNoCrash() {
        let full = cnameOnly()
        for length in 1..<full.count {
            let prefix = Array(full.prefix(length))
            XCTAssertNil(target(prefix), "\(length) bytes")
            if case .cname = outcome(prefix) { XCTFail("\(length) bytes gave a CNAME") }
        }
    }

    func testRDLengthPastTheEndGivesNoCNAME() {
        var bytes = cnameOnly()
        let rdLength = bytes.count - M.name("target.example").count - 2
        XCTAssertEqual(Array(bytes[rdLength..<rdLength + 2]), [0, UInt8(M.name("target.example").count)], "the RDLENGTH field")
        bytes[rdLength] = 0x01                              // 256 + 16 bytes claimed, 16 present
        XCTAssertNil(target(bytes))
        if case .cname = outcome(bytes) { XCTFail("an overlong RDATA gave a CNAME") }
    }

    func testAnAnswerCountBeyondTheRecordsPresentIsNoCNAME() {
        for answers in [2, 3, 0xffff] {
            let bytes = cnameOnly(answers: answers)
            let result = outcome(bytes)
            if case .cname = result { XCTFail("ANCOUNT \(answers) gave \(result)") }
            guard case .malformed = result else { return XCTFail("ANCOUNT \(answers) gave \(result)") }
            // The reader keeps the CNAME it could read and stops at the end;
            // outcome() never uses it, as c-ares rejects the message first.
            XCTAssertEqual(target(bytes), "target.example", "ANCOUNT \(answers)")
        }
    }

    func testAGarbageTailNeverCrashesTheCNAMEReader() {
        var seed: UInt64 = 0xC0FFEE
        for _ in 0..<300 {
            var bytes = cnameOnly(answers: 4)
            for _ in 0..<Int(seed % 24) {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                bytes.append(UInt8(truncatingIfNeeded: seed >> 33))
            }
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            bytes[Int(seed >> 33) % bytes.count] ^= UInt8(truncatingIfNeeded: seed >> 41)
            _ = target(bytes)
            _ = outcome(bytes)
        }
    }
}
