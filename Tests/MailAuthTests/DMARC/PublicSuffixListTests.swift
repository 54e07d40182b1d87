import XCTest
@testable import MailAuth

final class PublicSuffixListTests: XCTestCase {
    /// Rules in the list's own format, wildcards and exceptions included.
    private let list = PublicSuffixList(rulesText: """
        // comment lines and blank lines are skipped

        com
        uk
        co.uk
        jp
        *.kawasaki.jp
        !city.kawasaki.jp
        *.ck
        !www.ck
        中国
        com.cn
        公司.cn
        github.io  trailing words are ignored
        """)

    func testPlainRules() {
        XCTAssertNil(list.registrableDomain(of: "com"))
        XCTAssertEqual(list.registrableDomain(of: "example.com"), "example.com")
        XCTAssertEqual(list.registrableDomain(of: "a.b.Example.COM."), "example.com")
        XCTAssertNil(list.registrableDomain(of: "co.uk"))
        XCTAssertEqual(list.registrableDomain(of: "www.example.co.uk"), "example.co.uk")
        XCTAssertEqual(list.registrableDomain(of: "foo.github.io"), "foo.github.io")
        XCTAssertEqual(list.publicSuffix(of: "a.b.co.uk"), "co.uk")
    }

    func testUnlistedTopLevelDomainUsesTheImplicitStarRule() {
        XCTAssertNil(list.registrableDomain(of: "example"))
        XCTAssertEqual(list.registrableDomain(of: "b.example.example"), "example.example")
    }

    func testWildcardAndExceptionRules() {
        XCTAssertNil(list.registrableDomain(of: "ck"))
        XCTAssertNil(list.registrableDomain(of: "test.ck"))
        XCTAssertEqual(list.registrableDomain(of: "b.test.ck"), "b.test.ck")
        XCTAssertEqual(list.registrableDomain(of: "a.b.test.ck"), "b.test.ck")
        XCTAssertEqual(list.registrableDomain(of: "www.ck"), "www.ck")
        XCTAssertEqual(list.registrableDomain(of: "www.www.ck"), "www.ck")
        XCTAssertNil(list.registrableDomain(of: "test.kawasaki.jp"))
        XCTAssertEqual(list.registrableDomain(of: "b.test.kawasaki.jp"), "b.test.kawasaki.jp")
        XCTAssertEqual(list.registrableDomain(of: "city.kawasaki.jp"), "city.kawasaki.jp")
        XCTAssertEqual(list.registrableDomain(of: "www.city.kawasaki.jp"), "city.kawasaki.jp")
    }

    func testInternationalNamesInBothForms() {
        XCTAssertEqual(list.registrableDomain(of: "www.食狮.公司.cn"), "食狮.公司.cn")
        XCTAssertEqual(list.registrableDomain(of: "www.xn--85x722f.xn--55qx5d.cn"), "xn--85x722f.xn--55qx5d.cn")
        XCTAssertEqual(list.registrableDomain(of: "shishi.xn--fiqs8s"), "shishi.xn--fiqs8s")
        XCTAssertNil(list.registrableDomain(of: "xn--fiqs8s"))
        XCTAssertEqual(PublicSuffixList.decodePunycode("ihqwcrb4cv8a8dqg056pqjye"), "他们为什么不说中文")
        XCTAssertEqual(PublicSuffixList.decodePunycode("85x722f"), "食狮")
        XCTAssertNil(PublicSuffixList.decodePunycode("99999999999999"))
    }

    func testMalformedNames() {
        XCTAssertNil(list.registrableDomain(of: ""))
        XCTAssertNil(list.registrableDomain(of: "..."))
        XCTAssertNil(list.registrableDomain(of: "a..example.com"))
        XCTAssertEqual(list.organizationalDomain(of: "a..example.com"), "a..example.com")
        XCTAssertEqual(list.organizationalDomain(of: "COM."), "com")
    }

    func testSharedListLoadsTheSystemFileWhenPresent() throws {
        guard FileManager.default.fileExists(atPath: PublicSuffixList.systemPath) else {
            print("PublicSuffixList: \(PublicSuffixList.systemPath) absent; built-in list in use")
            throw XCTSkip("no system public suffix list")
        }
        XCTAssertGreaterThan(PublicSuffixList.shared.ruleCount, 5000)
        XCTAssertEqual(PublicSuffixList.shared.registrableDomain(of: "www.city.kawasaki.jp"), "city.kawasaki.jp")
        XCTAssertEqual(PublicSuffixList.shared.organizationalDomain(of: "mail.example.co.uk"), "example.co.uk")
    }
}
