import XCTest
@testable import MailAuth

final class DKIMSignatureTests: XCTestCase {
    private let minimal = "v=1; a=rsa-sha256; d=Example.COM; s=sel; h=from:to; bh=AAAA; b=AAAA"

    private func parse(_ text: String) -> Result<DKIMSignature, DKIMSignatureError> {
        DKIMSignature.parse(headerValue: text)
    }

    private func assertError(_ text: String, tag: String?, containing words: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        switch parse(text) {
        case .success:
            XCTFail("parsed: \(text)", file: file, line: line)
        case .failure(let error):
            XCTAssertEqual(error.tag, tag, error.description, file: file, line: line)
            XCTAssertTrue(error.message.contains(words), error.message, file: file, line: line)
        }
    }

    func testDefaults() throws {
        let signature = try parse(minimal).get()
        XCTAssertEqual(signature.algorithm, .rsaSHA256)
        XCTAssertEqual(signature.domain, "example.com")
        XCTAssertEqual(signature.selector, "sel")
        XCTAssertEqual(signature.canonicalization, "simple/simple")
        XCTAssertEqual(signature.identity, "@example.com")
        XCTAssertEqual(signature.queryMethods, ["dns/txt"])
        XCTAssertEqual(signature.signedHeaders, ["from", "to"])
        XCTAssertEqual(signature.signature, [0, 0, 0])
        XCTAssertNil(signature.bodyLength)
        XCTAssertNil(signature.timestamp)
        XCTAssertEqual(signature.keyName, "sel._domainkey.example.com")
    }

    func testEveryTag() throws {
        let text = "v=1; a=ed25519-sha256; c=relaxed; d=example.com; s=2024._mail;\r\n\th=From : Subject :\r\n date;"
            + " i=news@Lists.Example.com; l=120; q=dns/txt; t=1700000000; x=1700086400; z=From:a@b|To:c@d;\r\n"
            + " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=; b=/gCrinpc QOoIfuHN\r\n Ib==;"
        let signature = try parse(text).get()
        XCTAssertEqual(signature.algorithm, .ed25519SHA256)
        XCTAssertEqual(signature.headerCanonicalization, .relaxed)
        XCTAssertEqual(signature.bodyCanonicalization, .simple)
        XCTAssertEqual(signature.selector, "2024._mail")
        XCTAssertEqual(signature.signedHeaders, ["From", "Subject", "date"])
        XCTAssertEqual(signature.identity, "news@Lists.Example.com")
        XCTAssertEqual(signature.bodyLength, 120)
        XCTAssertEqual(signature.timestamp, 1_700_000_000)
        XCTAssertEqual(signature.expiration, 1_700_086_400)
        XCTAssertEqual(signature.copiedHeaders, "From:a@b|To:c@d")
        XCTAssertEqual(signature.bodyHash.count, 32)
    }

    func testAlgorithmsAreParsedNotJudged() throws {
        XCTAssertEqual(try parse(minimal.replacingOccurrences(of: "rsa-sha256", with: "rsa-sha1")).get().algorithm, .rsaSHA1)
        let other = try parse(minimal.replacingOccurrences(of: "rsa-sha256", with: "dsa-md5")).get().algorithm
        XCTAssertEqual(other, .other("dsa-md5"))
        XCTAssertFalse(other.isAcceptable)
        XCTAssertFalse(DKIMSignature.Algorithm.rsaSHA1.isAcceptable)
    }

    func testRequiredTags() {
        for tag in ["v", "a", "b", "bh", "d", "h", "s"] {
            let without = minimal.split(separator: ";").filter {
                !$0.trimmingCharacters(in: .whitespaces).hasPrefix(tag + "=")
            }.joined(separator: ";")
            assertError(without, tag: tag, containing: "missing")
        }
    }

    func testBadValues() {
        assertError(minimal.replacingOccurrences(of: "v=1", with: "v=2"), tag: "v", containing: "not 1")
        assertError(minimal.replacingOccurrences(of: "h=from:to", with: "h=to:subject"), tag: "h", containing: "From")
        assertError(minimal.replacingOccurrences(of: "h=from:to", with: "h=from::to"), tag: "h", containing: "not a header")
        assertError(minimal + "; i=a@example.org", tag: "i", containing: "not d=")
        assertError(minimal + "; i=a@badexample.com", tag: "i", containing: "not d=")
        assertError(minimal + "; i=nobody", tag: "i", containing: "no '@'")
        assertError(minimal + "; c=relaxed/strict", tag: "c", containing: "simple or relaxed")
        assertError(minimal.replacingOccurrences(of: "d=Example.COM", with: "d=legit.com(.attacker.com"),
                    tag: "d", containing: "not a domain")
        assertError(minimal.replacingOccurrences(of: "s=sel", with: "s=a..b"), tag: "s", containing: "not a selector")
        assertError(minimal + "; l=-5", tag: "l", containing: "not a decimal")
        assertError(minimal + "; q=http/well-known", tag: "q", containing: "dns/txt")
        assertError(minimal + "; t=200; x=100", tag: "x", containing: "before")
        assertError(minimal.replacingOccurrences(of: "b=AAAA", with: "b=A!AA"), tag: "b", containing: "base64")
        assertError(minimal.replacingOccurrences(of: "bh=AAAA", with: "bh="), tag: "bh", containing: "empty")
        assertError(minimal + "; d=other.com", tag: "d", containing: "more than once")
    }

    func testSubdomainIdentityAndHugeLength() throws {
        let signature = try parse(minimal + "; i=@mail.example.com; l=99999999999999999999999").get()
        XCTAssertEqual(signature.identity, "@mail.example.com")
        XCTAssertEqual(signature.bodyLength, Int.max)
    }
}
