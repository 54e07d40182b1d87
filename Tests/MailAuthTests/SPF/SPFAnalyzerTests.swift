import Foundation
import Inet
import MailAuth
import XCTest

final class SPFAnalyzerTests: XCTestCase {
    private func analyze(_ records: [(String, SPFTestZone.Record)], _ domain: String = "example.com") async -> SPFEvaluation {
        await SPFEvaluator(dns: SPFTestZone(records)).analyze(domain: domain)
    }

    func testCountsLookupsPerRecordThroughTheTree() async {
        let evaluation = await analyze([
            ("example.com", .txt("v=spf1 mx include:_spf.example.com include:mail.example.net ip4:192.0.2.0/24 ~all")),
            ("example.com", .mx(MXRecord(preference: 10, exchange: "mx.example.com"))),
            ("_spf.example.com", .txt("v=spf1 a:out.example.com ptr include:_inner.example.com -all")),
            ("out.example.com", .a(IPAddress("192.0.2.20")!)),
            ("_inner.example.com", .txt("v=spf1 exists:%{i}._ok.example.com ip6:2001:db8::/32 -all")),
            ("mail.example.net", .txt("v=spf1 redirect=_spf.example.net")),
            ("_spf.example.net", .txt("v=spf1 a mx -all")),
            ("_spf.example.net", .a(IPAddress("198.51.100.1")!)),
            ("_spf.example.net", .mx(MXRecord(preference: 0, exchange: "mx.example.net"))),
        ])
        XCTAssertEqual(evaluation.result, .neutral, evaluation.steps.joined(separator: "\n"))
        XCTAssertNil(evaluation.problem)
        let root = evaluation.tree
        XCTAssertEqual(root.lookups, 3)
        XCTAssertEqual(root.children.map(\.via), ["include:_spf.example.com", "include:mail.example.net"])
        XCTAssertEqual(root.children.map(\.lookups), [3, 1])
        XCTAssertEqual(root.children.map(\.totalLookups), [4, 3])
        XCTAssertEqual(root.children[0].children.first?.lookups, 1)
        XCTAssertTrue(root.children[0].children.first?.note?.contains("not resolved") == true)
        XCTAssertTrue(root.children[0].note?.contains("ptr") == true)
        XCTAssertEqual(root.children[1].children.first?.via, "redirect=_spf.example.net")
        XCTAssertEqual(root.totalLookups, 10)
        XCTAssertEqual(evaluation.lookups, 10)
    }

    func testOverTheLookupLimitIsPermerror() async {
        var records: [(String, SPFTestZone.Record)] = [
            ("example.com", .txt("v=spf1 " + (1...6).map { "include:i\($0).example.com" }.joined(separator: " ") + " -all")),
        ]
        for index in 1...6 { records.append(("i\(index).example.com", .txt("v=spf1 ip4:192.0.2.\(index) a:i\(index).example.com -all"))) }
        for index in 1...6 { records.append(("i\(index).example.com", .a(IPAddress("192.0.2.\(index)")!))) }
        let evaluation = await analyze(records)
        XCTAssertEqual(evaluation.result, .permerror)
        XCTAssertEqual(evaluation.problem, .tooManyLookups(count: 12))
        XCTAssertEqual(evaluation.tree.children.map(\.totalLookups), Array(repeating: 1, count: 6))
    }

    func testVoidLookups() async {
        let evaluation = await analyze([
            ("example.com", .txt("v=spf1 a:gone1.example.com mx:gone2.example.com include:_spf.example.com -all")),
            ("_spf.example.com", .txt("v=spf1 exists:gone3.example.com -all")),
        ])
        XCTAssertEqual(evaluation.voidLookups, 3)
        XCTAssertEqual(evaluation.tree.voidLookups, 2)
        XCTAssertEqual(evaluation.tree.children.first?.voidLookups, 1)
        XCTAssertEqual(evaluation.result, .permerror)
        XCTAssertEqual(evaluation.problem, .tooManyVoidLookups(count: 3))
    }

    func testLoopIncludeWithoutRecordAndSyntaxDeepInTheTree() async {
        let loop = await analyze([
            ("example.com", .txt("v=spf1 include:a.example.com -all")),
            ("a.example.com", .txt("v=spf1 redirect=example.com")),
        ])
        XCTAssertEqual(loop.result, .permerror)
        XCTAssertEqual(loop.problem, .loop(domain: "example.com"))
        XCTAssertTrue(loop.tree.children.first?.note?.contains("loops") == true)

        let missing = await analyze([("example.com", .txt("v=spf1 include:none.example.com -all"))])
        XCTAssertEqual(missing.result, .permerror)
        XCTAssertEqual(missing.problem, .includeWithoutRecord(domain: "none.example.com"))
        XCTAssertEqual(missing.voidLookups, 1)

        let syntax = await analyze([
            ("example.com", .txt("v=spf1 include:a.example.com -all")),
            ("a.example.com", .txt("v=spf1 ip4:192.0.2.300 -all")),
        ])
        XCTAssertEqual(syntax.result, .permerror)
        guard case .syntax(let domain, _, let error)? = syntax.problem else { return XCTFail("syntax expected") }
        XCTAssertEqual(domain, "a.example.com")
        XCTAssertEqual(error.position, 11)
    }

    func testNoRecordMultipleRecordsAndDNSFailure() async {
        let none = await analyze([("example.com", .txt("google-site-verification=abc"))])
        XCTAssertEqual(none.result, .none)
        XCTAssertEqual(none.problem, .noRecord(domain: "example.com"))

        let multiple = await analyze([("example.com", .txt("v=spf1 -all")), ("example.com", .txt("v=spf1 mx -all"))])
        XCTAssertEqual(multiple.result, .permerror)
        XCTAssertEqual(multiple.problem, .multipleRecords(domain: "example.com", count: 2))

        let failure = await analyze([("example.com", .txt("v=spf1 include:error.example.net -all"))])
        XCTAssertEqual(failure.result, .temperror)
    }

    func testRedirectIgnoredWithAllAndTermsAfterAllNotCounted() async {
        let evaluation = await analyze([("example.com", .txt("v=spf1 -all a mx redirect=_spf.example.com"))])
        XCTAssertEqual(evaluation.lookups, 0)
        XCTAssertEqual(evaluation.result, .neutral)
        XCTAssertTrue(evaluation.tree.note?.contains("redirect= is ignored") == true)
    }

    /// Every record includes the next one twice: the walk stays bounded.
    func testExponentialIncludeGraphStaysBounded() async {
        var records: [(String, SPFTestZone.Record)] = []
        for level in 0..<20 {
            records.append(("l\(level).example.com", .txt("v=spf1 include:l\(level + 1).example.com include:l\(level + 1).example.com -all")))
        }
        let start = Date()
        let evaluation = await analyze(records, "l0.example.com")
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        XCTAssertEqual(evaluation.result, .permerror)
        guard case .tooManyLookups? = evaluation.problem else { return XCTFail("\(String(describing: evaluation.problem))") }
    }
}
