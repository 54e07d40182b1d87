import XCTest
import MailAuth

final class DKIMTagListTests: XCTestCase {
    private func tags(_ text: String, caseInsensitive: Bool = false) throws -> [DKIMTagList.Tag] {
        try DKIMTagList.parse(text, caseInsensitiveNames: caseInsensitive).get().tags
    }

    private func failure(_ text: String, caseInsensitive: Bool = false) -> DKIMTagListError? {
        if case .failure(let error) = DKIMTagList.parse(text, caseInsensitiveNames: caseInsensitive) { return error }
        XCTFail("\(text.debugDescription) parsed")
        return nil
    }

    func testWhitespaceAndFoldingAroundTagsAndInsideValues() throws {
        let parsed = try tags(" v = 1 ;\r\n\tk=rsa;p= AB\r\n CD ;")
        XCTAssertEqual(parsed, [.init(name: "v", value: "1"), .init(name: "k", value: "rsa"), .init(name: "p", value: "AB\r\n CD")])
    }

    func testEmptyValueAndTrailingSemicolon() throws {
        XCTAssertEqual(try tags("p=;"), [.init(name: "p", value: "")])
        XCTAssertEqual(try tags("a=1; b=2;  "), [.init(name: "a", value: "1"), .init(name: "b", value: "2")])
    }

    func testDuplicatesAreErrorsAndNameCaseIsTheCallersChoice() throws {
        XCTAssertEqual(failure("a=1; a=2")?.tag, "a")
        XCTAssertEqual(try tags("a=1; A=2").count, 2)
        XCTAssertEqual(failure("a=1; A=2", caseInsensitive: true)?.tag, "A")
    }

    func testMalformedLists() {
        XCTAssertEqual(failure("")?.message, "empty")
        XCTAssertNotNil(failure(";"))
        XCTAssertNotNil(failure("a=1;;b=2"))
        XCTAssertNotNil(failure("a=1;;"))
        XCTAssertNotNil(failure("novalue"))
        XCTAssertNotNil(failure("=1"))
        XCTAssertNotNil(failure("_a=1"))
        XCTAssertNotNil(failure("a b=1"))
        XCTAssertEqual(failure("a=caf\u{E9}")?.tag, "a")
        XCTAssertEqual(failure("a=x\u{7}y")?.message, "value of a= contains control character 0x7")
        XCTAssertNotNil(failure(String(repeating: "a=1;", count: 5000)))
    }

    func testBase64WithFoldingAndPadding() {
        XCTAssertEqual(try DKIMBase64.decode("TWFu").get(), Array("Man".utf8))
        XCTAssertEqual(try DKIMBase64.decode(" TW\r\n\tE= ").get(), Array("Ma".utf8))
        XCTAssertEqual(try DKIMBase64.decode("TQ==").get(), Array("M".utf8))
        XCTAssertEqual(try DKIMBase64.decode("TQ").get(), Array("M".utf8))
        XCTAssertEqual(try DKIMBase64.decode("").get(), [])
        XCTAssertEqual(DKIMBase64.decode("TQ=a"), .failure(.badPadding))
        XCTAssertEqual(DKIMBase64.decode("TQ==="), .failure(.badPadding))
        XCTAssertEqual(DKIMBase64.decode("T"), .failure(.badPadding))
        XCTAssertEqual(DKIMBase64.decode("TWE*"), .failure(.badCharacter(UInt8(ascii: "*"), at: 3)))
    }
}
