import Crypto
import Foundation
import XCTest
@testable import MailAuth

/// Hostile and broken files: no crash, bounded work, a plain answer.
final class DKIMBadInputTests: XCTestCase {
    private let signer = DKIMTestSigner(key: .rsa(DKIMTestSigner.rsaKey))

    private func dns() -> MemoryDNS {
        let dns = MemoryDNS()
        dns.txtRecords[signer.keyName] = [signer.keyRecord]
        return dns
    }

    /// Reproducible noise (a linear congruential generator).
    private func garbage(_ count: Int, seed: UInt64 = 42) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    func testEmptyMessage() async {
        let results = await DKIMVerifier.verify(message: [], dns: dns())
        XCTAssertEqual(results, [])
        let report = await MessageCheck.run(message: [], dns: dns())
        XCTAssertEqual(report.findings.map(\.cause), [.messageUnreadable])
    }

    func testBinaryGarbage() async {
        for seed in UInt64(1)...5 {
            let bytes = garbage(256 * 1024, seed: seed)
            let message = SavedMessage(bytes: bytes)
            XCTAssertLessThanOrEqual(message.fields.count, SavedMessage.maximumFields)
            _ = await DKIMVerifier.verify(message: bytes, dns: dns())
            let report = await MessageCheck.run(message: bytes, dns: dns())
            XCTAssertFalse(report.findings.isEmpty)
        }
        // Garbage after a valid signature field: it fails, it does not crash.
        let signed = Array(signer.sign(DKIMTestMessages.plain).utf8)
        let results = await DKIMVerifier.verify(message: Array(signed.prefix(300)) + garbage(10_000), dns: dns())
        XCTAssertEqual(results.count, 1)
        XCTAssertFalse(results[0].passed)
    }

    func testNoHeaderBodySeparator() async {
        let text = "From: alice@example.com\r\nSubject: no body\r\nDate: Mon, 01 Jan 2024 10:00:00 +0000"
        let message = SavedMessage(bytes: Array(text.utf8))
        XCTAssertFalse(message.hasSeparator)
        XCTAssertEqual(message.fields.map(\.name), ["From", "Subject", "Date"])
        XCTAssertEqual(message.body.count, 0)
        XCTAssertEqual(message.value(message.fields[2]), "Mon, 01 Jan 2024 10:00:00 +0000")

        let signed = signer.sign(DKIMTestMessages.plain)
        let headerOnly = String(signed[..<signed.range(of: "\r\n\r\n")!.lowerBound])
        let results = await DKIMVerifier.verify(message: Array(headerOnly.utf8), dns: dns())
        XCTAssertEqual(results.first?.outcome, .fail(.bodyHashMismatch))
        let report = await MessageCheck.run(message: Array(headerOnly.utf8), dns: dns())
        XCTAssertTrue(report.notes.contains { $0.contains("no blank line") }, "\(report.notes)")
    }

    func testOneMegabyteHeaderLine() async {
        let huge = String(repeating: "a", count: 1024 * 1024)
        let signed = signer.sign(DKIMTestMessages.plain)
        // An unsigned 1 MB field: the signature still verifies.
        let withField = "X-Huge: \(huge)\r\n" + signed
        let results = await DKIMVerifier.verify(message: Array(withField.utf8), dns: dns())
        XCTAssertEqual(results.map(\.outcome), [.pass])
        // A signed 1 MB Subject, relaxed: verifies too.
        let bigSubject = DKIMTestMessages.plain.replacingOccurrences(of: "Dinner at eight", with: huge)
        let signedBig = await DKIMVerifier.verify(message: Array(signer.sign(bigSubject).utf8), dns: dns())
        XCTAssertEqual(signedBig.map(\.outcome), [.pass])
        // A 1 MB line with no colon is skipped as malformed.
        let noColon = SavedMessage(bytes: Array((huge + "\r\n" + DKIMTestMessages.plain).utf8))
        XCTAssertEqual(noColon.malformedLines, 1)
        XCTAssertEqual(noColon.fields.first?.name, "From")
        // A 1 MB DKIM-Signature is refused unread.
        let hugeSignature = "DKIM-Signature: v=1; z=\(huge)\r\n" + DKIMTestMessages.plain
        let refused = await DKIMVerifier.verify(message: Array(hugeSignature.utf8), dns: dns())
        guard case .fail(.syntax(let why)) = refused.first?.outcome else { return XCTFail("\(refused)") }
        XCTAssertTrue(why.contains("not examined"), why)
        // A 1 MB From: no domain is read from it, no crash.
        let hugeFrom = DKIMTestMessages.plain.replacingOccurrences(of: "Alice", with: huge)
        let report = await MessageCheck.run(message: Array(hugeFrom.utf8), dns: dns())
        XCTAssertNil(report.fromDomain)
    }

    func testFiftyMegabyteBody() async {
        let line = "The quick brown fox  jumps over the lazy dog.\t \r\n"
        let body = String(repeating: line, count: 50 * 1024 * 1024 / line.utf8.count)
        let message = DKIMTestMessages.plain.components(separatedBy: "\r\n\r\n")[0] + "\r\n\r\n" + body
        for mode in DKIMCanonicalization.allCases {
            var signer = self.signer
            signer.canonicalization = (.relaxed, mode)
            let signed = Array(signer.sign(message).utf8)
            XCTAssertGreaterThan(signed.count, 50_000_000)
            let start = ContinuousClock.now
            let results = await DKIMVerifier.verify(message: signed, dns: dns())
            let elapsed = ContinuousClock.now - start
            print("DKIM: 50 MB body, \(mode) body canonicalisation, verified in \(elapsed)")
            XCTAssertEqual(results.map(\.outcome), [.pass])
            XCTAssertLessThan(elapsed, .seconds(30))
        }
    }

    func testMessageOverTheSizeLimitIsNotExamined() async {
        var bytes = Array(signer.sign(DKIMTestMessages.plain).utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: SavedMessage.maximumSize)
        let results = await DKIMVerifier.verify(message: bytes, dns: dns())
        XCTAssertEqual(results.map(\.outcome), [.fail(.messageTooLarge(bytes.count))])
        XCTAssertEqual(results.first?.domain, "example.com")
        let report = await MessageCheck.run(message: bytes, dns: dns())
        XCTAssertFalse(report.examined)
        XCTAssertEqual(report.findings.map(\.cause), [.messageUnreadable])
    }

    func testThousandSignaturesAreBounded() async {
        let signed = signer.sign(DKIMTestMessages.plain)
        let field = String(signed[..<signed.range(of: "\r\nFrom:")!.lowerBound]) + "\r\n"
        // A thousand fields, each naming its own selector.
        let fields = (0..<1000).map { field.replacingOccurrences(of: "s=sel;", with: "s=k\($0);") }.joined()
        let dns = self.dns()
        let start = ContinuousClock.now
        let results = await DKIMVerifier.verify(message: Array((fields + DKIMTestMessages.plain).utf8), dns: dns)
        XCTAssertEqual(results.count, DKIMVerifier.maximumSignatures)
        XCTAssertEqual(dns.questions.count, DKIMVerifier.maximumSignatures)
        XCTAssertTrue(results.allSatisfy { $0.outcome == .fail(.keyMissing) })
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(10))

        // The same field a thousand times: one key lookup, fifty passes.
        let copies = String(repeating: field, count: 1000) + DKIMTestMessages.plain
        let sameDNS = self.dns()
        let same = await DKIMVerifier.verify(message: Array(copies.utf8), dns: sameDNS)
        XCTAssertEqual(same.count, 50)
        XCTAssertTrue(same.allSatisfy(\.passed))
        XCTAssertEqual(sameDNS.questions, [signer.keyName])
        let report = await MessageCheck.run(message: Array(copies.utf8), dns: sameDNS)
        XCTAssertEqual(report.dkimSignatureFields, 1000)
        XCTAssertTrue(report.notes.contains { $0.contains("only the first 50") }, "\(report.notes)")
    }

    func testHeaderNameRepeatedThousandsOfTimesIsBounded() async {
        // h= names X 5,000 times over 10,000 X fields, in 50 signatures.
        // The body hash is right, so every signature gets to hashing its header fields.
        let names = "from" + String(repeating: ":x", count: 5000)
        let body = DKIMTestMessages.plain.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        let bodyHash = Data(SHA256.hash(data: DKIMCanonicalizer.body(Array(body.utf8), .relaxed))).base64EncodedString()
        let field = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=sel;\r\n"
            + " h=\(names); bh=\(bodyHash); b=AAAA\r\n"
        let fields = String(repeating: field, count: 50) + String(repeating: "X: a  b\r\n", count: 10_000)
        let start = ContinuousClock.now
        let results = await DKIMVerifier.verify(message: Array((fields + DKIMTestMessages.plain).utf8), dns: dns())
        XCTAssertEqual(results.count, 50)
        XCTAssertTrue(results.allSatisfy { $0.outcome == .fail(.signatureMismatch) }, "\(results.first!.evidence)")
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(10))
    }

    func testTooManyHeaderFields() {
        let fields = String(repeating: "X-A: b\r\n", count: SavedMessage.maximumFields + 500)
        let message = SavedMessage(bytes: Array((fields + "\r\nbody\r\n").utf8))
        XCTAssertEqual(message.fields.count, SavedMessage.maximumFields)
        XCTAssertTrue(message.fieldsSkipped)
        XCTAssertEqual(Array(message.body), Array("body\r\n".utf8))
    }
}
