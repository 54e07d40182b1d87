import XCTest
import MailAuth

final class DKIMKeyRecordTests: XCTestCase {
    private func key(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> DKIMKeyRecord {
        switch DKIMKeyRecord.parse(text) {
        case .success(let record): return record
        case .failure(let error):
            XCTFail("\(text.prefix(60)) did not parse: \(error)", file: file, line: line)
            throw error
        }
    }

    private func error(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> DKIMKeyError? {
        switch DKIMKeyRecord.parse(text) {
        case .success(let record):
            XCTFail("\(text.prefix(60)) parsed: \(record.keyBits ?? 0) bits", file: file, line: line)
            return nil
        case .failure(let error): return error
        }
    }

    func testRSA2048() throws {
        let record = try key("v=DKIM1; k=rsa; p=\(DKIMTestKeys.rsa2048)")
        XCTAssertEqual(record.version, "DKIM1")
        XCTAssertEqual(record.keyType, "rsa")
        XCTAssertEqual(record.keyBits, 2048)
        XCTAssertEqual(record.publicKey.count, 294)
        XCTAssertFalse(record.isRevoked)
        XCTAssertEqual(record.serviceTypes, ["*"])
        XCTAssertEqual(record.warnings, [])
    }

    func testRSA1024IsAcceptedButWeak() throws {
        let record = try key("p=\(DKIMTestKeys.rsa1024)")
        XCTAssertNil(record.version)
        XCTAssertEqual(record.keyType, "rsa")
        XCTAssertEqual(record.keyBits, 1024)
        XCTAssertTrue(record.warnings.contains { $0.contains("weak") && $0.contains("RFC 8301") })
    }

    func testRSA512IsRefused() {
        let refusal = error("v=DKIM1; p=\(DKIMTestKeys.rsa512)")
        XCTAssertEqual(refusal?.tag, "p")
        XCTAssertEqual(refusal?.message.contains("512 bits"), true)
    }

    func testRSA4096AndBarePKCS1() throws {
        XCTAssertEqual(try key("v=DKIM1; p=\(DKIMTestKeys.rsa4096)").keyBits, 4096)
        XCTAssertEqual(try key("v=DKIM1; p=\(DKIMTestKeys.rsa1024PKCS1)").keyBits, 1024)
    }

    func testFoldedKeyAsSplitTXTStringsOftenArrive() throws {
        var folded = DKIMTestKeys.rsa2048
        folded.insert(contentsOf: " \r\n\t", at: folded.index(folded.startIndex, offsetBy: 100))
        folded.insert(contentsOf: "  ", at: folded.index(folded.startIndex, offsetBy: 250))
        XCTAssertEqual(try key("v=DKIM1; k=rsa; p=\(folded)").keyBits, 2048)
    }

    func testEd25519() throws {
        let record = try key("v=DKIM1; k=ed25519; p=\(DKIMTestKeys.ed25519Raw)")
        XCTAssertEqual(record.keyType, "ed25519")
        XCTAssertEqual(record.keyBits, 256)
        XCTAssertEqual(record.publicKey.count, 32)
        let wrapped = error("v=DKIM1; k=ed25519; p=\(DKIMTestKeys.ed25519SPKI)")
        XCTAssertEqual(wrapped?.message.contains("SubjectPublicKeyInfo"), true)
        let mislabelled = error("v=DKIM1; p=\(DKIMTestKeys.ed25519SPKI)")
        XCTAssertEqual(mislabelled?.message.contains("k=ed25519"), true)
    }

    func testRevoked() throws {
        let record = try key("v=DKIM1; k=rsa; p=")
        XCTAssertTrue(record.isRevoked)
        XCTAssertNil(record.keyBits)
        XCTAssertTrue(record.warnings.contains { $0.contains("revoked") })
    }

    func testFlagsHashesServicesAndNotes() throws {
        let record = try key("v=DKIM1; h=sha1 : sha256; s=email; t=y:s:x; n=rotated=20240101; g=*; p=\(DKIMTestKeys.rsa2048)")
        XCTAssertEqual(record.hashAlgorithms, ["sha1", "sha256"])
        XCTAssertEqual(record.serviceTypes, ["email"])
        XCTAssertTrue(record.testing)
        XCTAssertTrue(record.strictSubdomains)
        XCTAssertEqual(record.notes, "rotated=20240101")
        XCTAssertTrue(record.warnings.contains { $0.contains("testing") })
        XCTAssertTrue(record.warnings.contains { $0.contains("g=") })
        let sha1Only = try key("h=sha1; p=\(DKIMTestKeys.rsa2048)")
        XCTAssertTrue(sha1Only.warnings.contains { $0.contains("RFC 8301") })
        let notMail = try key("s=tlsrpt; p=\(DKIMTestKeys.rsa2048)")
        XCTAssertTrue(notMail.warnings.contains { $0.contains("s=") })
    }

    func testInvalidRecords() {
        XCTAssertEqual(error("k=rsa; v=DKIM1; p=\(DKIMTestKeys.rsa2048)")?.tag, "v")
        XCTAssertEqual(error("v=DKIM2; p=\(DKIMTestKeys.rsa2048)")?.tag, "v")
        XCTAssertEqual(error("v=DKIM1; k=rsa")?.tag, "p")
        XCTAssertEqual(error("v=DKIM1; k=dsa; p=\(DKIMTestKeys.rsa2048)")?.tag, "k")
        XCTAssertEqual(error("v=DKIM1; p=not*base64")?.tag, "p")
        XCTAssertEqual(error("v=DKIM1; p=\(DKIMTestKeys.rsa2048.dropLast(40))")?.tag, "p")   // truncated DER
        XCTAssertEqual(error("v=DKIM1; p=SGVsbG8gd29ybGQ=")?.tag, "p")                      // "Hello world"
        XCTAssertEqual(error("v=DKIM1; k=ed25519; p=SGVsbG8=")?.tag, "p")
        XCTAssertNotNil(error("v=DKIM1; p=\(DKIMTestKeys.rsa2048); p=\(DKIMTestKeys.rsa2048)"))
        XCTAssertNotNil(error("v=spf1 include:_spf.example.com ~all"))
        XCTAssertNotNil(error(""))
        XCTAssertNotNil(error("\u{0}\u{1}garbage\u{FF}"))
    }
}
