import Foundation
import XCTest

/// The spam family against the lab's real DNS server (knot): one sender
/// domain per fault, sending addresses with and without reverse DNS, and
/// blocklist zones that list, list the world, or refuse the resolver.
/// Every cause comes from `check --symptom spam` reading real answers.
final class SpamCausesTests: XCTestCase {
    private func check(domain: String, ip: String? = nil, extra: [String] = [], dns: String? = nil, selector: Bool = true,
                       file: StaticString = #filePath, line: UInt = #line) throws -> (json: [String: Any], run: Harness.Run) {
        try Harness.requireLab()
        var args = ["check", "--symptom", "spam", "--format", "json", "--domain", domain,
                    "--timeout", "2", "--dns-server", dns ?? Harness.labValue("LAB_DNS")]
        if let ip { args += ["--sending-ip", ip] }
        // The lab's own lists, so no lookup ever leaves the machine.
        if !extra.contains("--dnsbl") { args += ["--dnsbl", Harness.labValue("LAB_DNSBL_ZONE"), "--dnsbl", Harness.labValue("LAB_DNSBL_ZONE2")] }
        args += extra
        if selector { args += ["--dkim-selector", Harness.labValue("LAB_DKIM_SELECTOR")] }
        let run = try Harness.run(args)
        let json = try XCTUnwrap(run.json, "not JSON: \(run.stdout)\n\(run.stderr)", file: file, line: line)
        return (json, run)
    }

    private func causes(_ json: [String: Any]) -> [String] {
        (json["findings"] as? [[String: Any]] ?? []).compactMap { $0["cause"] as? String }
    }
    private func verdict(_ json: [String: Any]) -> String? { (json["verdict"] as? [String: Any])?["cause"] as? String }
    private func summary(_ json: [String: Any]) -> String { (json["verdict"] as? [String: Any])?["summary"] as? String ?? "" }
    private func step(_ json: [String: Any], _ id: String) -> [String: Any]? {
        (json["steps"] as? [[String: Any]] ?? []).first { $0["id"] as? String == id }
    }
    private func evidence(_ json: [String: Any], _ id: String) -> String {
        (step(json, id)?["evidence"] as? [String] ?? []).joined(separator: "\n")
    }
    private func remediation(_ json: [String: Any]) -> String { (json["remediation"] as? [String] ?? []).joined(separator: "\n") }

    /// Asserts that exactly `cause` was found (and it is the verdict).
    private func assertOnly(_ cause: String, domain: String, ip: String? = nil, extra: [String] = [],
                            file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let (json, run) = try check(domain: domain, ip: ip ?? Harness.labValue("LAB_SEND_GOOD4"), extra: extra, file: file, line: line)
        XCTAssertEqual(causes(json), [cause], "\(summary(json))\n\(run.stdout)", file: file, line: line)
        XCTAssertEqual(verdict(json), cause, file: file, line: line)
        XCTAssertEqual(run.status, 1, file: file, line: line)
        return json
    }

    func testHealthyDomain() throws {
        let (json, run) = try check(domain: Harness.labValue("LAB_SPAM_HEALTHY"), ip: Harness.labValue("LAB_SEND_GOOD4"))
        XCTAssertEqual(causes(json), [], run.stdout)
        XCTAssertEqual(verdict(json), "healthy", summary(json))
        XCTAssertEqual(run.status, 0)
        // The lookup tree shows the include and what it cost.
        let tree = evidence(json, "spf-record")
        XCTAssertTrue(tree.contains("include:_spf.\(Harness.labValue("LAB_SPAM_HEALTHY"))"), tree)
        XCTAssertTrue(tree.contains("1 lookup"), tree)
        XCTAssertTrue(evidence(json, "spf-authorized").contains("= pass"), evidence(json, "spf-authorized"))
        XCTAssertTrue(evidence(json, "dkim-key").contains("rsa 2048-bit"), evidence(json, "dkim-key"))
        XCTAssertTrue(evidence(json, "reverse-dns").contains("leads back to"), evidence(json, "reverse-dns"))
    }

    func testSPFMissing() throws {
        let json = try assertOnly("spf-missing", domain: Harness.labValue("LAB_SPAM_NOSPF"))
        XCTAssertTrue(remediation(json).contains("TXT \"v=spf1 mx ip4:\(Harness.labValue("LAB_SEND_GOOD4")) -all\""), remediation(json))
    }

    func testSPFMultipleRecords() throws {
        let json = try assertOnly("spf-multiple-records", domain: Harness.labValue("LAB_SPAM_TWOSPF"))
        XCTAssertTrue(summary(json).contains("2 SPF records"), summary(json))
        XCTAssertTrue(remediation(json).contains("ip6:2001:db8:1::10"), "the merged record keeps both records' terms: \(remediation(json))")
    }

    func testSPFSyntaxError() throws {
        let json = try assertOnly("spf-syntax-error", domain: Harness.labValue("LAB_SPAM_BADSPF"))
        XCTAssertTrue(summary(json).contains("198.51.100.300"), summary(json))
        XCTAssertTrue(evidence(json, "spf-record").contains("^"), "a caret marks the position")
    }

    func testSPFTooManyLookups() throws {
        let json = try assertOnly("spf-too-many-lookups", domain: Harness.labValue("LAB_SPAM_MANYLOOKUPS"))
        XCTAssertTrue(evidence(json, "spf-record").contains("12 DNS-querying terms"), evidence(json, "spf-record"))
    }

    func testSPFVoidLookups() throws {
        let json = try assertOnly("spf-void-lookups", domain: Harness.labValue("LAB_SPAM_VOIDS"))
        XCTAssertTrue(evidence(json, "spf-record").contains("3 void"), evidence(json, "spf-record"))
    }

    func testSPFIPNotAuthorized() throws {
        let json = try assertOnly("spf-ip-not-authorized", domain: Harness.labValue("LAB_SPAM_NOTAUTH"))
        XCTAssertTrue(remediation(json).contains("ip4:192.0.2.1 ip4:\(Harness.labValue("LAB_SEND_GOOD4")) -all"), remediation(json))
    }

    func testDKIMKeyMissing() throws {
        _ = try assertOnly("dkim-key-missing", domain: Harness.labValue("LAB_SPAM_NODKIM"))
    }

    func testDKIMSelectorsAreGuessedWhenNoneIsNamed() throws {
        let (missing, _) = try check(domain: Harness.labValue("LAB_SPAM_NODKIM"), ip: Harness.labValue("LAB_SEND_GOOD4"), selector: false)
        XCTAssertTrue(causes(missing).contains("dkim-key-missing"), evidence(missing, "dkim-key"))
        // The healthy domain's s1 key is found among the common selectors.
        let (healthy, run) = try check(domain: Harness.labValue("LAB_SPAM_HEALTHY"), ip: Harness.labValue("LAB_SEND_GOOD4"), selector: false)
        XCTAssertEqual(causes(healthy), [], run.stdout)
        XCTAssertTrue(evidence(healthy, "dkim-key").contains("tried google, selector1"), evidence(healthy, "dkim-key"))
    }

    func testDKIMKeyInvalid() throws {
        let json = try assertOnly("dkim-key-invalid", domain: Harness.labValue("LAB_SPAM_BADDKIM"))
        XCTAssertTrue(remediation(json).contains("_domainkey"), remediation(json))
    }

    func testDMARCMissing() throws {
        let json = try assertOnly("dmarc-missing", domain: Harness.labValue("LAB_SPAM_NODMARC"))
        XCTAssertTrue(remediation(json).contains("_dmarc.\(Harness.labValue("LAB_SPAM_NODMARC")). TXT \"v=DMARC1; p=none"), remediation(json))
        // The organisational domain was asked too.
        XCTAssertTrue(evidence(json, "dmarc-record").contains("_dmarc.\(Harness.labValue("LAB_SPAM_ZONE"))"), evidence(json, "dmarc-record"))
    }

    func testDMARCInvalid() throws {
        let json = try assertOnly("dmarc-invalid", domain: Harness.labValue("LAB_SPAM_BADDMARC"))
        XCTAssertTrue(evidence(json, "dmarc-record").contains("banana"), evidence(json, "dmarc-record"))
    }

    func testDMARCPolicyNoneIsAWarning() throws {
        let (json, run) = try check(domain: Harness.labValue("LAB_SPAM_NONEDMARC"), ip: Harness.labValue("LAB_SEND_GOOD4"))
        XCTAssertEqual(causes(json), ["dmarc-policy-none"], run.stdout)
        let finding = (json["findings"] as? [[String: Any]])?.first
        XCTAssertEqual(finding?["severity"] as? String, "warning")
        XCTAssertEqual(verdict(json), "dmarc-policy-none")
    }

    func testMXMissing() throws {
        _ = try assertOnly("mx-missing", domain: Harness.labValue("LAB_SPAM_NOMX"))
    }

    // The sending addresses without (forward-confirmed) reverse DNS are not in
    // the healthy domain's SPF either: both faults are findings, SPF first.
    func testPTRMissing() throws {
        let (json, run) = try check(domain: Harness.labValue("LAB_SPAM_HEALTHY"), ip: Harness.labValue("LAB_SEND_NOPTR4"))
        XCTAssertEqual(causes(json), ["spf-ip-not-authorized", "ptr-missing"], run.stdout)
        XCTAssertTrue(remediation(json).contains("50.100.51.198.in-addr.arpa. PTR"), remediation(json))
    }

    func testFCrDNSMismatch() throws {
        let (json, run) = try check(domain: Harness.labValue("LAB_SPAM_HEALTHY"), ip: Harness.labValue("LAB_SEND_MISMATCH4"))
        XCTAssertEqual(causes(json), ["spf-ip-not-authorized", "fcrdns-mismatch"], run.stdout)
        XCTAssertTrue(evidence(json, "reverse-dns").contains(Harness.labValue("LAB_SEND_MISMATCH_NAME")), evidence(json, "reverse-dns"))
        XCTAssertTrue(evidence(json, "reverse-dns").contains(Harness.labValue("LAB_SEND_MISMATCH_FORWARD4")), evidence(json, "reverse-dns"))
    }

    func testIPBlocklisted() throws {
        let (json, run) = try check(domain: Harness.labValue("LAB_SPAM_HEALTHY"), ip: Harness.labValue("LAB_SEND_LISTED4"),
                                    extra: ["--dnsbl", Harness.labValue("LAB_DNSBL_ZONE"), "--dnsbl", Harness.labValue("LAB_DNSBL_ZONE2")])
        // The listed address is not in the healthy domain's SPF either; the listing is the worst and comes first.
        XCTAssertEqual(verdict(json), "ip-blocklisted", run.stdout)
        XCTAssertTrue(causes(json).contains("ip-blocklisted"))
        let lists = evidence(json, "blocklists")
        XCTAssertTrue(lists.contains("\(Harness.labValue("LAB_DNSBL_ZONE"))): LISTED 127.0.0.2"), lists)
        XCTAssertTrue(lists.contains("listed: test entry"), "the TXT reason is shown: \(lists)")
        XCTAssertTrue(lists.contains("\(Harness.labValue("LAB_DNSBL_ZONE2"))): not listed"), lists)
    }

    func testDeadAndRefusingListsAreNotListings() throws {
        let (json, run) = try check(domain: Harness.labValue("LAB_SPAM_HEALTHY"), ip: Harness.labValue("LAB_SEND_GOOD4"),
                                    extra: ["--dnsbl", Harness.labValue("LAB_DNSBL_WORLD"), "--dnsbl", Harness.labValue("LAB_DNSBL_QUOTA"),
                                            "--dnsbl", Harness.labValue("LAB_DNSBL_ZONE")])
        XCTAssertFalse(causes(json).contains("ip-blocklisted"), run.stdout)
        let lists = evidence(json, "blocklists")
        XCTAssertTrue(lists.contains("\(Harness.labValue("LAB_DNSBL_WORLD"))): ignored: the zone lists every address"), lists)
        XCTAssertTrue(lists.contains("\(Harness.labValue("LAB_DNSBL_QUOTA"))): no answer for this resolver (127.255.255.254)"), lists)
        XCTAssertTrue(lists.contains("public or shared resolvers"), lists)
    }

    func testSeveralFaultsAreAllFindings() throws {
        // A domain without SPF, sent from an address without PTR, listed nowhere.
        let (json, run) = try check(domain: Harness.labValue("LAB_SPAM_NOSPF"), ip: Harness.labValue("LAB_SEND_NOPTR4"))
        XCTAssertEqual(Set(causes(json)), ["spf-missing", "ptr-missing"], run.stdout)
        XCTAssertEqual(verdict(json), "spf-missing", "the worst, first in the tree's order")
    }

    func testLongMultiStringSPFRecord() throws {
        let (json, run) = try check(domain: Harness.labValue("LAB_SPAM_LONGSPF"), ip: Harness.labValue("LAB_SEND_GOOD4"))
        XCTAssertEqual(causes(json), [], run.stdout)
        XCTAssertTrue(evidence(json, "spf-authorized").contains("= pass"), evidence(json, "spf-authorized"))
    }

    func testGarbageRecordIsAFindingAndNeverRaw() throws {
        let (json, run) = try check(domain: Harness.labValue("LAB_SPAM_GARBAGE"), ip: Harness.labValue("LAB_SEND_GOOD4"))
        XCTAssertEqual(causes(json), ["spf-syntax-error"], run.stdout)
        XCTAssertFalse(run.stdout.contains("\u{1b}"), "an escape byte reached the output")
        let text = try Harness.run(["check", "--symptom", "spam", "--domain", Harness.labValue("LAB_SPAM_GARBAGE"),
                                    "--sending-ip", Harness.labValue("LAB_SEND_GOOD4"), "--dns-server", Harness.labValue("LAB_DNS"),
                                    "--dnsbl", Harness.labValue("LAB_DNSBL_ZONE")])
        XCTAssertFalse(text.stdout.contains("\u{1b}"), "an escape byte reached the text report")
        XCTAssertTrue(text.stdout.contains("\\x1B"), text.stdout)
    }

    func testIncludeLoopIsAFindingNotAHang() throws {
        let (json, run) = try check(domain: Harness.labValue("LAB_SPAM_LOOP"), ip: Harness.labValue("LAB_SEND_GOOD4"))
        XCTAssertEqual(causes(json), ["spf-syntax-error"], run.stdout)
        XCTAssertTrue(summary(json).contains("loops back"), summary(json))
    }

    func testCNAMEChainToNowhere() throws {
        let (json, run) = try check(domain: Harness.labValue("LAB_SPAM_CNAMENOWHERE"), ip: Harness.labValue("LAB_SEND_GOOD4"))
        XCTAssertTrue(causes(json).contains("spf-missing"), run.stdout)
        XCTAssertTrue(causes(json).contains("mx-missing"), run.stdout)
    }

    func testSilentDNSServerEndsWithinTheDeadline() throws {
        let started = Date()
        let (json, run) = try check(domain: Harness.labValue("LAB_SPAM_HEALTHY"), ip: Harness.labValue("LAB_SEND_GOOD4"),
                                    dns: Harness.labValue("LAB_SILENT_DNS"))
        XCTAssertEqual(verdict(json), "dns-failure", run.stdout)
        // Generous bound: every probe runs at once, so this is about one 2 s deadline, never one per lookup.
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
    }

    func testBadInputIsAUsageError() throws {
        try Harness.requireLab()
        for (args, message) in [
            (["--domain", "not a domain"], "invalid --domain"),
            (["--domain", "lab.test", "--sending-ip", "300.1.2.3"], "invalid --sending-ip"),
            (["--domain", "lab.test", "--dnsbl", "nodot"], "invalid --dnsbl"),
            (["--domain", "lab.test", "--dkim-selector", "bad selector"], "invalid --dkim-selector"),
            ([], "needs the sender's domain"),
        ] {
            let run = try Harness.run(["check", "--symptom", "spam"] + args)
            XCTAssertEqual(run.status, 2, "\(args): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(message), "\(args): \(run.stderr)")
        }
    }

    func testSPFCommand() throws {
        try Harness.requireLab()
        let run = try Harness.run(["spf", "--ip", Harness.labValue("LAB_SEND_GOOD4"), "--sender", "user@\(Harness.labValue("LAB_SPAM_HEALTHY"))",
                                   "--dns-server", Harness.labValue("LAB_DNS"), "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        let json = try XCTUnwrap(run.json)
        XCTAssertEqual(json["result"] as? String, "pass")
        XCTAssertEqual(json["lookups"] as? Int, 1)
        XCTAssertNotNil(json["tree"] as? [String: Any])
        let fail = try Harness.run(["spf", "--ip", "192.0.2.99", "--sender", Harness.labValue("LAB_SPAM_HEALTHY"),
                                    "--dns-server", Harness.labValue("LAB_DNS")])
        XCTAssertEqual(fail.status, 1)
        XCTAssertTrue(fail.stdout.contains(": fail"), fail.stdout)
        XCTAssertTrue(fail.stdout.contains("Record tree:"), fail.stdout)
    }
}
