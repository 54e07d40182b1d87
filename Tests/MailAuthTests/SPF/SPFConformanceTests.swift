import Foundation
import Inet
import MailAuth
import TestSupport
import XCTest
import Yams

/// The openspf RFC 7208 suite (pyspf's copy), run through `checkMailFrom`
/// against an in-memory zone built from each scenario.
final class SPFConformanceTests: XCTestCase {
    func testRFC7208Suite() async throws {
        guard let url = ConformanceData.file("spf/rfc7208-tests.yml") else {
            print("SPF RFC 7208 suite: skipped (spf/rfc7208-tests.yml not found beside the repository)")
            throw XCTSkip("spf/rfc7208-tests.yml not found")
        }
        let yaml = try String(contentsOf: url, encoding: .utf8)
        var total = 0
        var failures: [String] = []
        for document in try compose_all(yaml: yaml) {
            guard let tests = document["tests"]?.mapping, let zonedata = document["zonedata"] else { continue }
            let scenario = document["description"]?.scalar?.string ?? "?"
            let zone = try SPFTestZone(zonedata: zonedata)
            let evaluator = SPFEvaluator(dns: zone, receivingHost: "receiver.example", now: { 1_400_000_000 })
            for (nameNode, test) in tests {
                total += 1
                let name = "\(nameNode.scalar?.string ?? "?") (\(scenario))"
                guard let hostText = test["host"]?.scalar?.string, let host = IPAddress(hostText) else {
                    failures.append("\(name): unreadable host")
                    continue
                }
                let expected = Set((test["result"]?.sequence.map(Array.init) ?? [test["result"]].compactMap { $0 })
                    .compactMap { $0.scalar?.string })
                let evaluation = await evaluator.checkMailFrom(ip: host, mailFrom: test["mailfrom"]?.scalar?.string ?? "",
                                                               helo: test["helo"]?.scalar?.string ?? "")
                var problems: [String] = []
                if !expected.contains(evaluation.result.rawValue) {
                    problems.append("result \(evaluation.result.rawValue), expected \(expected.sorted().joined(separator: " or "))")
                }
                if let wanted = test["explanation"]?.scalar?.string {
                    // The suite's "DEFAULT" is the driver's default text: exp= gave nothing.
                    let matches = wanted == "DEFAULT" ? evaluation.explanation == nil
                        : evaluation.explanation?.lowercased() == wanted.lowercased()
                    if !matches { problems.append("explanation \(evaluation.explanation ?? "nil"), expected \(wanted)") }
                }
                if !problems.isEmpty {
                    failures.append("\(name): " + problems.joined(separator: "; ")
                                    + "\n    " + evaluation.steps.joined(separator: "\n    "))
                }
            }
        }
        print("SPF RFC 7208 suite: \(total - failures.count)/\(total)")
        XCTAssertGreaterThan(total, 0)
        XCTAssert(failures.isEmpty, "failing SPF suite tests:\n" + failures.joined(separator: "\n"))
    }
}
