import Inet
import MailAuth
import XCTest

final class SPFEvaluatorTests: XCTestCase {
    private let client = IPAddress("192.0.2.10")!

    private func evaluator(_ records: [(String, SPFTestZone.Record)]) -> SPFEvaluator {
        SPFEvaluator(dns: SPFTestZone(records), receivingHost: "mx.receiver.example", now: { 1_400_000_000 })
    }

    func testIncludePassReportsTheInnerTermTreeAndSteps() async {
        let spf = evaluator([
            ("example.com", .txt("v=spf1 mx include:_spf.example.com -all")),
            ("example.com", .mx(MXRecord(preference: 10, exchange: "mail.example.com"))),
            ("mail.example.com", .a(IPAddress("198.51.100.1")!)),
            ("_spf.example.com", .txt("v=spf1 ip4:192.0.2.0/24 -all")),
        ])
        let evaluation = await spf.checkMailFrom(ip: client, mailFrom: "<alice@example.com>", helo: "client.example.net")
        XCTAssertEqual(evaluation.result, .pass)
        XCTAssertEqual(evaluation.matched, "ip4:192.0.2.0/24 in _spf.example.com")
        XCTAssertEqual(evaluation.lookups, 2)
        XCTAssertEqual(evaluation.tree.lookups, 2)
        XCTAssertEqual(evaluation.tree.children.map(\.via), ["include:_spf.example.com"])
        XCTAssertEqual(evaluation.tree.children.first?.record, "v=spf1 ip4:192.0.2.0/24 -all")
        XCTAssertNil(evaluation.problem)
        XCTAssertTrue(evaluation.steps.contains { $0.contains("mx: no match") }, evaluation.steps.joined(separator: "\n"))
        XCTAssertTrue(evaluation.steps.last?.contains("2 of 10") == true)
    }

    func testFailCarriesExpandedExplanation() async {
        let spf = evaluator([
            ("example.com", .txt("v=spf1 -all exp=why.example.com")),
            ("why.example.com", .txt("%{c} may not send for %{d} (checked by %{r} at %{t}, sender %{l})")),
        ])
        let evaluation = await spf.checkHost(ip: client, domain: "example.com", sender: "bob@example.com", helo: nil)
        XCTAssertEqual(evaluation.result, .fail)
        XCTAssertEqual(evaluation.matched, "-all in example.com")
        XCTAssertEqual(evaluation.explanation,
                       "192.0.2.10 may not send for example.com (checked by mx.receiver.example at 1400000000, sender bob)")
    }

    func testEmptyMailFromChecksPostmasterAtHelo() async {
        let spf = evaluator([("relay.example.net", .txt("v=spf1 a -all")), ("relay.example.net", .a(client))])
        let evaluation = await spf.checkMailFrom(ip: client, mailFrom: "", helo: "relay.example.net")
        XCTAssertEqual(evaluation.result, .pass)
        XCTAssertTrue(evaluation.steps.first?.contains("postmaster@relay.example.net") == true)
    }

    func testIPv4MappedAddressIsIPv4() async {
        let spf = evaluator([("example.com", .txt("v=spf1 ip4:192.0.2.0/24 -all"))])
        let evaluation = await spf.checkHost(ip: IPAddress("::ffff:192.0.2.10")!, domain: "example.com",
                                             sender: "a@example.com", helo: "h.example.com")
        XCTAssertEqual(evaluation.result, .pass)
    }

    func testDNSFailureIsTemperror() async {
        let spf = evaluator([("example.com", .txt("v=spf1 a:error.example.org -all"))])
        let evaluation = await spf.checkHost(ip: client, domain: "example.com", sender: "a@example.com", helo: nil)
        XCTAssertEqual(evaluation.result, .temperror)
        guard case .dnsFailure(let name, _)? = evaluation.problem else { return XCTFail("\(String(describing: evaluation.problem))") }
        XCTAssertEqual(name, "error.example.org")
    }

    func testLookupLimitCountsAcrossIncludes() async {
        var records: [(String, SPFTestZone.Record)] = [("example.com", .txt("v=spf1 include:a.example.com include:b.example.com -all"))]
        records.append(("a.example.com", .txt("v=spf1 " + (1...5).map { "a:h\($0).example.com" }.joined(separator: " "))))
        records.append(("b.example.com", .txt("v=spf1 " + (6...8).map { "a:h\($0).example.com" }.joined(separator: " ") + " ip4:192.0.2.10")))
        for index in 1...9 { records.append(("h\(index).example.com", .a(IPAddress("198.51.100.\(index)")!))) }
        let atLimit = await evaluator(records).checkHost(ip: client, domain: "example.com", sender: "a@example.com", helo: nil)
        XCTAssertEqual(atLimit.result, .pass, atLimit.steps.joined(separator: "\n"))
        XCTAssertEqual(atLimit.lookups, 10)
        XCTAssertEqual(atLimit.tree.children.map(\.lookups), [5, 3])

        records[2] = ("b.example.com", .txt("v=spf1 " + (6...9).map { "a:h\($0).example.com" }.joined(separator: " ") + " ip4:192.0.2.10"))
        let over = await evaluator(records).checkHost(ip: client, domain: "example.com", sender: "a@example.com", helo: nil)
        XCTAssertEqual(over.result, .permerror)
        XCTAssertEqual(over.problem, .tooManyLookups(count: 11))
    }

    func testVoidLookupLimit() async {
        let spf = evaluator([("example.com", .txt("v=spf1 a:x1.example.com mx:x2.example.com exists:x3.example.com -all"))])
        let evaluation = await spf.checkHost(ip: client, domain: "example.com", sender: "a@example.com", helo: nil)
        XCTAssertEqual(evaluation.result, .permerror)
        XCTAssertEqual(evaluation.problem, .tooManyVoidLookups(count: 3))
        XCTAssertEqual(evaluation.tree.voidLookups, 3)
    }

    func testIncludeLoopAndMissingIncludeTarget() async {
        let spf = evaluator([
            ("a.example.com", .txt("v=spf1 include:b.example.com -all")),
            ("b.example.com", .txt("v=spf1 include:A.example.com. -all")),
            ("c.example.com", .txt("v=spf1 include:nothing.example.com -all")),
        ])
        let loop = await spf.checkHost(ip: client, domain: "a.example.com", sender: "x@a.example.com", helo: nil)
        XCTAssertEqual(loop.result, .permerror)
        XCTAssertEqual(loop.problem, .loop(domain: "A.example.com"))
        let missing = await spf.checkHost(ip: client, domain: "c.example.com", sender: "x@c.example.com", helo: nil)
        XCTAssertEqual(missing.result, .permerror)
        XCTAssertEqual(missing.problem, .includeWithoutRecord(domain: "nothing.example.com"))
        XCTAssertEqual(missing.voidLookups, 1, "the include target's empty TXT answer is a void lookup")
    }

    /// TXT strings longer than 255 bytes arrive as several strings of one
    /// record; MailDNS joins them without separators (RFC 7208 3.3).
    func testRecordLongerThanOneString() async {
        let networks = (0..<40).map { "ip4:198.51.100.\($0)" }.joined(separator: " ")
        let full = "v=spf1 \(networks) ip4:192.0.2.10 -all"
        XCTAssertGreaterThan(full.utf8.count, 255)
        let chunks = stride(from: 0, to: full.utf8.count, by: 255).map { start in
            String(decoding: Array(full.utf8)[start..<min(start + 255, full.utf8.count)], as: UTF8.self)
        }
        XCTAssertGreaterThanOrEqual(chunks.count, 3)
        let spf = evaluator([("example.com", .txt(chunks.joined()))])
        let evaluation = await spf.checkHost(ip: client, domain: "example.com", sender: "a@example.com", helo: nil)
        XCTAssertEqual(evaluation.result, .pass)
        XCTAssertEqual(evaluation.matched, "ip4:192.0.2.10 in example.com")
    }

    func testGarbageRecordIsPermerrorWithPosition() async {
        let spf = evaluator([("example.com", .txt("v=spf1 ip4:192.0.2.1 \u{1}\u{FFFD}garbage -all"))])
        let evaluation = await spf.checkHost(ip: client, domain: "example.com", sender: "a@example.com", helo: nil)
        XCTAssertEqual(evaluation.result, .permerror)
        guard case .syntax(_, _, let error)? = evaluation.problem else { return XCTFail("syntax error expected") }
        XCTAssertEqual(error.position, 21)
    }
}
