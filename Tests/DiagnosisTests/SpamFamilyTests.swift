@testable import MailAuth
import Probes
import XCTest
@testable import Diagnosis

/// The spam family through the pure reducer: hand-built record checks in,
/// step statuses, findings, verdict and remediation out.
final class SpamFamilyTests: XCTestCase {
    typealias F = SpamFixture
    let ip = SpamFixture.ip

    /// Statuses in tree order, with `changes` applied to all-ruled-out.
    func statuses(_ changes: [String: StepStatus]) -> [StepStatus] {
        F.stepIDs.map { changes[$0] ?? .ruledOut }
    }

    // MARK: requests

    func testEveryRecordCheckIsAskedForAtOnce() {
        let target = F.target(helo: "mail.example.com")
        let run = DiagnosisRun(target, symptom: .spam)
        XCTAssertEqual(run.state.steps.map(\.id), F.stepIDs)
        XCTAssertEqual(run.requests, [
            .blocklists(address: ip, zones: []),
            .spf(domain: "example.com", sendingIP: ip, sender: "postmaster@example.com", helo: "mail.example.com"),
            .dkim(domain: "example.com", selectors: ["s1"]),
            .dmarc(domain: "example.com"),
            .reverseDNS(address: ip, helo: "mail.example.com"),
            .mx(domain: "example.com"),
        ])
    }

    func testWithoutASendingAddressBlocklistsAndReverseDNSAreSkippedAndNotAsked() {
        let target = F.target(ip: nil)
        let start = DiagnosisRun(target, symptom: .spam)
        XCTAssertFalse(start.requests.contains { $0.kind == .blocklists || $0.kind == .reverseDNS }, "\(start.requests)")
        XCTAssertEqual(start.status("blocklists"), .skipped)
        let run = DiagnosisRun.spam(target, F.spf(ip: nil))
        XCTAssertEqual(run.statuses, statuses(["blocklists": .skipped, "spf-authorized": .skipped, "reverse-dns": .skipped]))
        XCTAssertEqual(run.evidence("spf-authorized"), ["Not checked: give the sending server's address with --sending-ip to test check_host()."])
        XCTAssertEqual(run.causes, [])
        XCTAssertEqual(run.verdict?.summary, "SPF, DKIM, DMARC and MX of example.com are in order.")
    }

    // MARK: healthy()

    func testAllInOrderIsHealthy() {
        let run = DiagnosisRun.spam()
        XCTAssertEqual(run.statuses, statuses([:]))
        XCTAssertEqual(run.causes, [])
        XCTAssertEqual(run.verdict?.cause, .healthy)
        XCTAssertEqual(run.verdict?.summary,
                       "SPF, DKIM, DMARC and MX of example.com are in order; 192.0.2.10 is authorised by SPF, named (forward-confirmed PTR), on none of the 2 blocklists that answered.")
    }

    func testResolverFailuresMakeTheVerdictADNSFailure() {
        let timeout = F.lookup("s1._domainkey.example.com", .txt, .timeout)
        let servfail = F.lookup("s2._domainkey.example.com", .txt, .serverFailure)
        let run = DiagnosisRun.spam(F.target(selectors: ["s1", "s2"]),
                                    F.dkim(F.selector("s1", .dnsFailure("timeout")), F.selector("s2", .dnsFailure("SERVFAIL")),
                                           lookups: [timeout, servfail, F.txt("x._domainkey.example.com", "v=DKIM1; p=abc")]))
        XCTAssertEqual(run.status("dkim-key"), .inconclusive)
        XCTAssertEqual(run.causes, [])
        XCTAssertEqual(run.verdict?.cause, .dnsFailure)
        XCTAssertEqual(run.verdict?.summary, "The DNS server gave no usable answer for 2 lookups, so some checks could not be made.")
        XCTAssertEqual(run.verdict?.evidence, [timeout.evidenceLine, servfail.evidenceLine])
        XCTAssertEqual(run.verdict?.remediation.first,
                       "Check that the DNS server answers (dig @SERVER example.com TXT); a timeout or SERVFAIL here is the resolver's fault, not the domain's.")
    }

    func testNoDomainAndNoAddressChecksNothing() {
        let run = DiagnosisRun.spam(F.target(domain: nil, ip: nil))
        XCTAssertEqual(run.statuses, [StepStatus](repeating: .skipped, count: F.stepIDs.count))
        XCTAssertEqual(run.verdict?.cause, .healthy)
        XCTAssertEqual(run.verdict?.summary, "Nothing was checked: no sender domain or sending address was given.")
    }

    // MARK: blocklists

    func testListedOnThePBLAddsTheDelistingAndRelayAdvice() {
        let pbl = "PBL (listed by Spamhaus): a dynamic or end-user range that should not send mail directly"
        let run = DiagnosisRun.spam(F.target(), F.blocklists(F.listed(F.zen, .listed, answers: ["127.0.0.11"], meanings: [pbl]),
                                                             F.listed(F.spamcop, .notListed)))
        XCTAssertEqual(run.status("blocklists"), .confirmed)
        XCTAssertEqual(run.causes, [.ipBlocklisted])
        let finding = run.verdict
        XCTAssertEqual(finding?.cause, .ipBlocklisted)
        XCTAssertEqual(finding?.severity, .error)
        XCTAssertEqual(finding?.summary, "192.0.2.10 is listed on 1 blocklist: Spamhaus ZEN.")
        XCTAssertEqual(finding?.evidence.first, "Spamhaus ZEN (zen.spamhaus.org): LISTED 127.0.0.11 - \(pbl) [12 ms]")
        XCTAssertEqual(finding?.remediation.count, 3)
        XCTAssertTrue(finding?.remediation[1].hasPrefix("Spamhaus ZEN: Look the address up at https://check.spamhaus.org/") ?? false)
        XCTAssertEqual(finding?.remediation.last,
                       "A PBL listing means the range should not send mail directly: relay through your provider's or ISP's smarthost (port 587 with AUTH).")
    }

    func testListedWithoutPBLOrDelistingAdviceSaysWhichListsCouldNotBeUsed() {
        let run = DiagnosisRun.spam(F.target(), F.blocklists(F.listed(F.spamrats, .listed, answers: ["127.0.0.38"]),
                                                             F.listed(F.spamcop, .lookupFailed)))
        XCTAssertEqual(run.verdict?.cause, .ipBlocklisted)
        XCTAssertEqual(run.verdict?.summary, "192.0.2.10 is listed on 1 blocklist: SpamRATS. 1 list could not be used (see the evidence).")
        XCTAssertEqual(run.verdict?.remediation.count, 1, "SpamRATS has no delisting line, and no PBL")
    }

    func testNotListedIsRuledOut() {
        let run = DiagnosisRun.spam(F.target(), F.blocklists(F.listed(F.zen, .notListed), F.listed(F.spamcop, .notListed)))
        XCTAssertEqual(run.status("blocklists"), .ruledOut)
        XCTAssertEqual(run.evidence("blocklists"), [
            "Spamhaus ZEN (zen.spamhaus.org): not listed [12 ms]", "SpamCop (bl.spamcop.net): not listed [12 ms]",
            "192.0.2.10 is on none of the 2 lists that answered properly.",
        ])
    }

    func testListsEverythingAndQueryRefusedCountAsUnusable() {
        let run = DiagnosisRun.spam(F.target(), F.blocklists(
            F.listed(F.zen, .queryRefused, answers: ["127.255.255.254"]),
            F.listed(F.spamcop, .listsEverything, answers: ["127.0.0.2"]),
            F.listed(F.spamrats, .notListed)))
        XCTAssertEqual(run.status("blocklists"), .ruledOut)
        XCTAssertEqual(run.causes, [])
        XCTAssertEqual(run.evidence("blocklists").last,
                       "192.0.2.10 is not on the one list that answered properly. 2 lists could not be used (see the evidence).")
    }

    func testNoUsableListIsInconclusive() {
        let run = DiagnosisRun.spam(F.target(), F.blocklists(
            F.listed(F.zen, .lookupFailed), F.listed(F.spamcop, .untrustworthy),
            F.listed(F.spamrats, .listsEverything), F.listed(Blocklist(zone: "dnsbl.example.net"), .queryRefused)))
        XCTAssertEqual(run.status("blocklists"), .inconclusive)
        XCTAssertEqual(run.causes, [])
        XCTAssertEqual(run.evidence("blocklists").count, 5)
        XCTAssertEqual(run.evidence("blocklists").last, "No list gave a usable answer, so nothing can be said about 192.0.2.10.")
    }

    // MARK: SPF record

    func testOneValidSPFRecordIsRuledOut() {
        let run = DiagnosisRun.spam()
        XCTAssertEqual(run.evidence("spf-record"), [
            "example.com: 1 lookup, 1 with everything below", "    \"v=spf1 mx -all\"",
            "1 DNS-querying term in the whole tree (the limit is 10), 0 void lookups (the limit is 2)",
            "One valid SPF record, within the lookup limits.",
        ])
    }

    func testNoSPFRecordSuggestsOneWithTheSendingAddress() {
        let run = DiagnosisRun.spam(F.target(), F.spf(record: nil, problem: .noRecord(domain: "example.com"), result: .none))
        XCTAssertEqual(run.status("spf-record"), .confirmed)
        XCTAssertEqual(run.status("spf-authorized"), .skipped, "result none: nothing to authorise")
        XCTAssertEqual(run.causes, [.spfMissing])
        XCTAssertEqual(run.verdict?.cause, .spfMissing)
        XCTAssertEqual(run.verdict?.remediation[1], "    example.com. TXT \"v=spf1 mx ip4:192.0.2.10 -all\"")
    }

    func testNoSPFRecordWithoutAnAddressSuggestsAPlaceholder() {
        let run = DiagnosisRun.spam(F.target(ip: nil), F.spf(record: nil, problem: .noRecord(domain: "example.com"), ip: nil))
        XCTAssertEqual(run.verdict?.remediation[1], "    example.com. TXT \"v=spf1 mx ip4:YOUR.SERVER.ADDRESS -all\"")
    }

    func testMultipleRecordsAreShownAndMergedIntoOne() {
        let lookups = [F.txt("example.com", "v=spf1 mx ~all", "google-site-verification=abc", "v=spf1 include:_spf.google.com mx -all")]
        let problem = SPFProblem.multipleRecords(domain: "example.com", count: 2)
        let run = DiagnosisRun.spam(F.target(), F.spf(record: nil, problem: problem, result: .permerror, authProblem: problem, lookups: lookups))
        XCTAssertEqual(run.status("spf-record"), .confirmed)
        XCTAssertEqual(run.status("spf-authorized"), .inconclusive, "the same fault is not said twice")
        XCTAssertEqual(run.causes, [.spfMultipleRecords])
        let finding = run.verdict
        XCTAssertEqual(finding?.summary, "example.com publishes 2 SPF records; RFC 7208 makes that a permanent error, so SPF fails for every sender.")
        XCTAssertEqual(Array(finding?.evidence.suffix(2) ?? []), [
            "SPF record at example.com: \"v=spf1 mx ~all\"", "SPF record at example.com: \"v=spf1 include:_spf.google.com mx -all\"",
        ])
        XCTAssertEqual(finding?.remediation[1], "    example.com. TXT \"v=spf1 mx include:_spf.google.com -all\"")
    }

    func testSyntaxErrorCaretSitsUnderTheTermPastEscapedControlCharacters() {
        let record = "v=spf1 mx\u{07} ip4:192.0.2.300 -all"
        let error = SPFSyntaxError(position: 11, term: "ip4:192.0.2.300", message: "not an IPv4 address")
        let run = DiagnosisRun.spam(F.target(), F.spf(record: record, problem: .syntax(domain: "example.com", record: record, error: error),
                                                      result: .permerror, authProblem: .syntax(domain: "example.com", record: record, error: error)))
        XCTAssertEqual(run.causes, [.spfSyntaxError])
        XCTAssertEqual(run.status("spf-authorized"), .inconclusive)
        let evidence = run.verdict?.evidence ?? []
        XCTAssertEqual(Array(evidence.suffix(4)), [
            "record at example.com:",
            "    v=spf1 mx\\x07 ip4:192.0.2.300 -all",
            "                  ^",
            "at character 12: ip4:192.0.2.300: not an IPv4 address",
        ])
        let printed = evidence[evidence.count - 3], caret = evidence[evidence.count - 2]
        XCTAssertEqual(printed.distance(from: printed.startIndex, to: printed.firstIndex(of: "i")!), caret.count - 1,
                       "the caret is under the i of ip4")
        XCTAssertEqual(run.verdict?.summary,
                       "The SPF record of example.com has a syntax error at \"ip4:192.0.2.300\" (not an IPv4 address); receivers treat that as a permanent error.")
        XCTAssertEqual(run.verdict?.remediation.first,
                       "Correct or remove the term \"ip4:192.0.2.300\" in the TXT record at example.com, then check it again here.")
    }

    func testTooManyLookups() {
        let run = DiagnosisRun.spam(F.target(), F.spf(problem: .tooManyLookups(count: 12), result: .permerror,
                                                      authProblem: .tooManyLookups(count: 11)))
        XCTAssertEqual(run.causes, [.spfTooManyLookups], "counts differ, the kind is the same: one finding")
        XCTAssertEqual(run.status("spf-authorized"), .inconclusive)
        XCTAssertTrue(run.verdict?.summary.hasPrefix("The SPF tree of example.com needs 12 DNS lookups;") ?? false)
    }

    func testTooManyVoidLookups() {
        let run = DiagnosisRun.spam(F.target(), F.spf(problem: .tooManyVoidLookups(count: 3)))
        XCTAssertEqual(run.causes, [.spfVoidLookups])
        XCTAssertEqual(run.verdict?.summary, "The SPF tree of example.com has 3 lookups that find nothing (the limit is 2): receivers return a permanent error.")
    }

    func testTooManyMXRecords() {
        let run = DiagnosisRun.spam(F.target(), F.spf(problem: .tooManyMXRecords(domain: "mx.example.net", count: 11)))
        XCTAssertEqual(run.causes, [.spfSyntaxError])
        XCTAssertTrue(run.verdict?.summary.contains("uses mx:mx.example.net, which has 11 MX records") ?? false)
        XCTAssertEqual(run.verdict?.remediation,
                       ["Replace mx:mx.example.net with the ip4:/ip6: ranges of its mail servers, or with an include: of a record that lists them."])
    }

    func testIncludeWithoutRecord() {
        let run = DiagnosisRun.spam(F.target(), F.spf(problem: .includeWithoutRecord(domain: "gone.example.net")))
        XCTAssertEqual(run.causes, [.spfSyntaxError])
        XCTAssertEqual(run.verdict?.summary, "The SPF tree of example.com includes gone.example.net, which has no SPF record: a permanent error for every sender.")
        XCTAssertEqual(run.verdict?.remediation.first,
                       "Remove include:gone.example.net from the record, or correct the name to the one the provider documents.")
    }

    func testLoop() {
        let run = DiagnosisRun.spam(F.target(), F.spf(problem: .loop(domain: "example.com")))
        XCTAssertEqual(run.causes, [.spfSyntaxError])
        XCTAssertEqual(run.verdict?.summary, "The SPF tree of example.com loops back through example.com: a permanent error.")
        XCTAssertEqual(run.verdict?.remediation, ["Remove the include: or redirect= that leads back to example.com."])
    }

    func testInvalidDomainIsCleanedAndCut() {
        let name = "bad..example\u{1b}[2J" + String(repeating: "x", count: 100)
        let run = DiagnosisRun.spam(F.target(), F.spf(problem: .invalidDomain(name)))
        XCTAssertEqual(run.causes, [.spfSyntaxError])
        let summary = run.verdict?.summary ?? ""
        XCTAssertTrue(summary.hasPrefix("The SPF tree of example.com names an invalid domain (bad..example\\x1B[2Jxxx"), summary)
        XCTAssertFalse(summary.contains("\u{1b}"))
    }

    func testSPFDNSFailureIsInconclusiveAndTheVerdictIsTheDNS() {
        let failed = F.lookup("example.com", .txt, .serverFailure)
        let problem = SPFProblem.dnsFailure(name: "example.com", reason: "SERVFAIL")
        let run = DiagnosisRun.spam(F.target(), F.spf(record: nil, problem: problem, result: .temperror, authProblem: problem, lookups: [failed]))
        XCTAssertEqual(run.status("spf-record"), .inconclusive)
        XCTAssertEqual(run.status("spf-authorized"), .inconclusive)
        XCTAssertEqual(run.evidence("spf-record").last,
                       "SPF temperror: the lookup of example.com failed (SERVFAIL); receivers would defer or ignore SPF.")
        XCTAssertEqual(run.evidence("spf-authorized").last,
                       "A DNS failure stopped the evaluation: receivers would try again later or ignore SPF.")
        XCTAssertEqual(run.causes, [])
        XCTAssertEqual(run.verdict?.cause, .dnsFailure)
        XCTAssertEqual(run.verdict?.evidence, [failed.evidenceLine])
    }

    // MARK: SPF authorised

    func testPassIsRuledOutWithTheCheckAsEvidence() {
        let run = DiagnosisRun.spam()
        XCTAssertEqual(run.evidence("spf-authorized"), [
            "check_host(192.0.2.10, example.com, postmaster@example.com) = pass", "decided by mx in example.com", "evaluated example.com",
        ])
    }

    func testPermerrorOfAnotherKindIsASecondFinding() {
        let run = DiagnosisRun.spam(F.target(), F.spf(problem: .tooManyVoidLookups(count: 3), result: .permerror,
                                                      authProblem: .includeWithoutRecord(domain: "gone.example.net")))
        XCTAssertEqual(run.status("spf-record"), .confirmed)
        XCTAssertEqual(run.status("spf-authorized"), .confirmed)
        XCTAssertEqual(run.causes, [.spfVoidLookups, .spfSyntaxError])
        XCTAssertEqual(run.verdict?.cause, .spfVoidLookups, "the first error in tree order")
    }

    func testPermerrorWithoutAProblemIsInconclusive() {
        let run = DiagnosisRun.spam(F.target(), F.spf(result: .permerror))
        XCTAssertEqual(run.status("spf-authorized"), .inconclusive)
        XCTAssertEqual(run.causes, [])
    }

    func testFailAddsTheAddressBeforeTheAllTerm() {
        let run = DiagnosisRun.spam(F.target(), F.spf(record: "v=spf1 mx include:_spf.example.net -all", result: .fail))
        XCTAssertEqual(run.status("spf-authorized"), .confirmed)
        XCTAssertEqual(run.status("bulk-sender"), .confirmed)
        XCTAssertEqual(run.causes, [.spfIPNotAuthorized])
        XCTAssertEqual(run.verdict?.severity, .error)
        XCTAssertEqual(run.verdict?.summary,
                       "SPF of example.com does not authorise 192.0.2.10: fail: receivers are told to reject mail from 192.0.2.10.")
        XCTAssertEqual(run.verdict?.remediation[1], "    example.com. TXT \"v=spf1 mx include:_spf.example.net ip4:192.0.2.10 -all\"")
    }

    func testSoftfailIsAnError() {
        let run = DiagnosisRun.spam(F.target(), F.spf(record: "v=spf1 a ~all", result: .softfail))
        XCTAssertEqual(run.verdict?.cause, .spfIPNotAuthorized)
        XCTAssertEqual(run.verdict?.severity, .error)
        XCTAssertTrue(run.verdict?.summary.hasSuffix("softfail: receivers treat mail from 192.0.2.10 as suspect (usually spam).") ?? false)
        XCTAssertEqual(run.verdict?.remediation[1], "    example.com. TXT \"v=spf1 a ip4:192.0.2.10 ~all\"")
    }

    func testNeutralIsAWarningAndTheAddressGoesBeforeRedirect() {
        let run = DiagnosisRun.spam(F.target(), F.spf(record: "v=spf1 mx redirect=_spf.example.net", result: .neutral))
        XCTAssertEqual(run.causes, [.spfIPNotAuthorized])
        XCTAssertEqual(run.verdict?.severity, .warning)
        XCTAssertTrue(run.verdict?.summary.hasSuffix("neutral: the record makes no statement about 192.0.2.10, which DMARC counts as a failure.") ?? false)
        XCTAssertEqual(run.verdict?.remediation[1], "    example.com. TXT \"v=spf1 mx ip4:192.0.2.10 redirect=_spf.example.net\"")
    }

    func testWithoutAllOrRedirectTheAddressGoesLast() {
        let run = DiagnosisRun.spam(F.target(), F.spf(record: "v=spf1 mx", result: .neutral))
        XCTAssertEqual(run.verdict?.remediation[1], "    example.com. TXT \"v=spf1 mx ip4:192.0.2.10\"")
    }

    func testAnIPv6SenderGetsAnIP6Term() {
        let target = F.target(ip: F.ip6)
        let run = DiagnosisRun.spam(target, F.spf(result: .fail, ip: F.ip6), F.blocklists(F.listed(F.zen, .notListed), address: F.ip6),
                                    F.reverse(.confirmed, address: F.ip6))
        XCTAssertEqual(run.verdict?.cause, .spfIPNotAuthorized)
        XCTAssertEqual(run.verdict?.remediation[1], "    example.com. TXT \"v=spf1 mx ip6:2001:db8::10 -all\"")
    }

    // MARK: DKIM

    func testAFoundKeyIsRuledOut() {
        let run = DiagnosisRun.spam()
        XCTAssertEqual(run.status("dkim-key"), .ruledOut)
        XCTAssertEqual(run.evidence("dkim-key"), ["s1._domainkey.example.com: rsa 2048-bit key"])
    }

    func testARevokedKeyIsInvalid() {
        let run = DiagnosisRun.spam(F.target(), F.dkim(F.selector("s1", .found(F.revoked))))
        XCTAssertEqual(run.status("dkim-key"), .confirmed)
        XCTAssertEqual(run.status("bulk-sender"), .confirmed, "a revoked key is no key")
        XCTAssertEqual(run.causes, [.dkimKeyInvalid])
        XCTAssertEqual(run.verdict?.summary,
                       "The DKIM key at s1._domainkey.example.com cannot be used: the key is revoked (empty p=). Every signature made with this selector fails.")
    }

    func testAnInvalidKeyWinsOverAGoodOneAndShowsTheRecord() {
        let error = DKIMKeyError(tag: "p", message: "not base64: character '!'")
        let run = DiagnosisRun.spam(F.target(selectors: ["s1", "s2"]),
                                    F.dkim(F.selector("s1", .found(F.key)), F.selector("s2", .invalid(raw: "v=DKIM1; p=!!", error: error))))
        XCTAssertEqual(run.causes, [.dkimKeyInvalid])
        XCTAssertEqual(run.verdict?.evidence, [
            "s1._domainkey.example.com: rsa 2048-bit key",
            "s2._domainkey.example.com: invalid: not base64: character '!'", "    \"v=DKIM1; p=!!\"",
        ])
        XCTAssertEqual(run.verdict?.remediation[1],
                       "    s2._domainkey.example.com. TXT \"v=DKIM1; k=rsa; p=<base64 public key, 2048 bits>\"")
    }

    func testNamedSelectorsWithoutKeysAreAnError() {
        let run = DiagnosisRun.spam(F.target(selectors: ["s1", "s2"]), F.dkim(F.selector("s1", .missing), F.selector("s2", .missing)))
        XCTAssertEqual(run.causes, [.dkimKeyMissing])
        XCTAssertEqual(run.verdict?.severity, .error)
        XCTAssertEqual(run.verdict?.summary,
                       "No DKIM key is published for selectors s1, s2 of example.com: receivers cannot verify signatures made with it.")
        XCTAssertEqual(run.verdict?.evidence, ["s1._domainkey.example.com: no key record", "s2._domainkey.example.com: no key record"])
        XCTAssertEqual(run.verdict?.remediation.suffix(2), [
            "    s1._domainkey.example.com. TXT \"v=DKIM1; k=rsa; p=<base64 public key>\"", "Then run this check again.",
        ])
    }

    func testGuessedSelectorsWithoutKeysAreAWarning() {
        let run = DiagnosisRun.spam(F.target(selectors: []),
                                    F.dkim(F.selector("default", .missing), F.selector("google", .missing), guessed: true))
        XCTAssertEqual(run.causes, [.dkimKeyMissing])
        XCTAssertEqual(run.verdict?.severity, .warning)
        XCTAssertTrue(run.verdict?.summary.hasPrefix("No DKIM key was found at any of the 2 common selectors of example.com.") ?? false)
        XCTAssertEqual(run.verdict?.evidence, ["No selector was named; tried default, google."])
        XCTAssertEqual(run.verdict?.remediation.last, "Then run again with --dkim-selector NAME to check that exact key.")
    }

    func testEverySelectorFailingIsInconclusive() {
        let run = DiagnosisRun.spam(F.target(), F.dkim(F.selector("s1", .dnsFailure("timeout"))))
        XCTAssertEqual(run.status("dkim-key"), .inconclusive)
        XCTAssertEqual(run.evidence("dkim-key"), ["s1._domainkey.example.com: lookup failed (timeout)"])
        XCTAssertEqual(run.causes, [])
    }

    // MARK: DMARC record

    /// A parent's record applies its sp= to a subdomain without a record of its own.
    func testTheSubdomainPolicyOfAParentRecordIsTheOneJudged() {
        var target = F.target()
        target.domain = "news.example.com"
        let record = F.dmarcRecord("v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com")
        let run = DiagnosisRun.spam(target, F.dmarc(.found(record: record, name: "_dmarc.example.com", organizationalFallback: true),
                                                    domain: "news.example.com"))
        XCTAssertEqual(run.status("dmarc-policy"), .confirmed)
        XCTAssertEqual(run.causes, [.dmarcPolicyNone])
        XCTAssertTrue(run.evidence("dmarc-policy").contains("news.example.com is a subdomain without its own record: the policy that applies to it is none"),
                      "\(run.evidence("dmarc-policy"))")
        let reject = DiagnosisRun.spam(target, F.dmarc(.found(record: F.dmarcRecord("v=DMARC1; p=none; sp=reject; rua=mailto:d@example.com"),
                                                              name: "_dmarc.example.com", organizationalFallback: true), domain: "news.example.com"))
        XCTAssertEqual(reject.status("dmarc-policy"), .ruledOut)
    }

    func testARecordFoundAtTheOrganisationalDomainSaysSo() {
        var target = F.target()
        target.domain = "news.example.com"
        let record = F.dmarcRecord("v=DMARC1; p=reject; rua=mailto:d@example.com")
        let run = DiagnosisRun.spam(target, F.dmarc(.found(record: record, name: "_dmarc.example.com", organizationalFallback: true),
                                                    domain: "news.example.com"))
        XCTAssertEqual(run.status("dmarc-record"), .ruledOut)
        XCTAssertEqual(Array(run.evidence("dmarc-record").prefix(2)), [
            "_dmarc.example.com: \"v=DMARC1; p=reject; rua=mailto:d@example.com\"",
            "news.example.com publishes no DMARC record of its own; the one at example.com covers it as a subdomain.",
        ])
    }

    func testNoDMARCRecordSuggestsOne() {
        let run = DiagnosisRun.spam(F.target(), F.dmarc(.missing(checked: ["_dmarc.example.com"])))
        XCTAssertEqual(run.status("dmarc-record"), .confirmed)
        XCTAssertEqual(run.status("dmarc-policy"), .skipped)
        XCTAssertEqual(run.evidence("dmarc-policy"), ["No valid DMARC record, so no policy to judge (see the DMARC step)."])
        XCTAssertEqual(run.status("bulk-sender"), .confirmed)
        XCTAssertEqual(run.causes, [.dmarcMissing])
        XCTAssertEqual(run.verdict?.evidence, ["_dmarc.example.com: no DMARC record"])
        XCTAssertEqual(run.verdict?.remediation[1], "    _dmarc.example.com. TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com\"")
    }

    func testSeveralDMARCRecordsAreInvalid() {
        let run = DiagnosisRun.spam(F.target(), F.dmarc(.multiple(name: "_dmarc.example.com", count: 2)))
        XCTAssertEqual(run.causes, [.dmarcInvalid])
        XCTAssertEqual(run.verdict?.summary, "_dmarc.example.com holds 2 DMARC records; receivers then apply none of them (RFC 7489 6.6.3).")
        XCTAssertEqual(run.status("dmarc-policy"), .skipped)
    }

    func testAnUnparsableDMARCRecordNamesTheTag() {
        let raw = "v=DMARC1; p=maybe"
        let error = F.dmarcError(raw)
        let run = DiagnosisRun.spam(F.target(), F.dmarc(.invalid(name: "_dmarc.example.com", raw: raw, error: error)))
        XCTAssertEqual(run.causes, [.dmarcInvalid])
        XCTAssertEqual(run.verdict?.evidence, [
            "_dmarc.example.com: \"v=DMARC1; p=maybe\"", "invalid" + (error.tag.map { " at tag \($0)" } ?? "") + ": \(error.message)",
        ])
        XCTAssertEqual(error.tag, "p")
        XCTAssertEqual(run.verdict?.remediation[1], "    _dmarc.example.com. TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com\"")
    }

    func testADMARCLookupFailureIsInconclusiveAndUnknownForBulkSenders() {
        let run = DiagnosisRun.spam(F.target(), F.dmarc(.dnsFailure(name: "_dmarc.example.com", reason: "timeout")))
        XCTAssertEqual(run.statuses, statuses(["dmarc-record": .inconclusive, "dmarc-policy": .skipped]))
        XCTAssertEqual(run.evidence("dmarc-record"), ["_dmarc.example.com: lookup failed (timeout)"])
        XCTAssertTrue(run.evidence("bulk-sender").contains("[unknown] DMARC: a valid record, at least p=none"))
    }

    // MARK: DMARC policy

    func testPolicyNoneIsAWarningWithTheTighterRecord() {
        let run = DiagnosisRun.spam(F.target(), F.dmarcFound("v=DMARC1; p=none"))
        XCTAssertEqual(run.status("dmarc-policy"), .confirmed)
        XCTAssertEqual(run.status("bulk-sender"), .ruledOut, "p=none meets the bulk-sender minimum")
        XCTAssertEqual(run.causes, [.dmarcPolicyNone])
        XCTAssertEqual(run.verdict?.severity, .warning)
        XCTAssertEqual(run.verdict?.evidence, [
            "_dmarc.example.com: p=none", "no rua=: the domain receives no aggregate reports, so failures go unseen",
        ])
        XCTAssertEqual(run.verdict?.remediation[1], "    _dmarc.example.com. TXT \"v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@example.com\"")
    }

    func testPolicyRejectIsRuledOutAndShowsPct() {
        let run = DiagnosisRun.spam(F.target(), F.dmarcFound("v=DMARC1; p=reject; pct=50; rua=mailto:d@example.com"))
        XCTAssertEqual(run.status("dmarc-policy"), .ruledOut)
        XCTAssertEqual(run.evidence("dmarc-policy"), ["_dmarc.example.com: p=reject, pct=50"])
    }

    // MARK: reverse DNS

    func testConfirmedReverseDNSIsRuledOut() {
        let run = DiagnosisRun.spam()
        XCTAssertEqual(run.evidence("reverse-dns"), [
            "PTR 10.2.0.192.in-addr.arpa: mail.example.com", "A mail.example.com: 192.0.2.10: leads back to 192.0.2.10",
        ])
    }

    func testAHELOThatDiffersIsEvidenceNotAFinding() {
        let helo = ReverseDNSResult.HeloCheck(name: "relay.example.net", matchesPTR: false, resolvesToAddress: true,
                                              addresses: [ip], notFQDN: false)
        let run = DiagnosisRun.spam(F.target(helo: "relay.example.net"), F.reverse(.confirmed, helo: helo))
        XCTAssertEqual(run.status("reverse-dns"), .ruledOut)
        XCTAssertEqual(run.causes, [])
        XCTAssertEqual(run.evidence("reverse-dns").suffix(3), [
            "HELO relay.example.net: resolves to 192.0.2.10; differs from the PTR name",
            "The HELO name differs from the PTR name: some receivers score this as suspicious.",
            "Make the sending server introduce itself (HELO/EHLO) as mail.example.com.",
        ])
    }

    func testNoPTRIsAnErrorWithBothRecordsWrittenOut() {
        let run = DiagnosisRun.spam(F.target(), F.reverse(.missing))
        XCTAssertEqual(run.status("reverse-dns"), .confirmed)
        XCTAssertEqual(run.status("bulk-sender"), .confirmed)
        XCTAssertEqual(run.causes, [.ptrMissing])
        XCTAssertEqual(run.verdict?.summary,
                       "192.0.2.10 has no reverse DNS name. Gmail and Microsoft refuse or junk mail from addresses without a PTR record.")
        XCTAssertEqual(run.verdict?.remediation.suffix(2), [
            "    10.2.0.192.in-addr.arpa. PTR mail.example.com.", "    mail.example.com. A 192.0.2.10",
        ])
    }

    func testNoPTRForAnIPv6AddressWritesAnAAAARecord() {
        let run = DiagnosisRun.spam(F.target(ip: F.ip6), F.spf(ip: F.ip6), F.blocklists(F.listed(F.zen, .notListed), address: F.ip6),
                                    F.reverse(.missing, address: F.ip6))
        XCTAssertEqual(run.verdict?.cause, .ptrMissing)
        XCTAssertEqual(run.verdict?.remediation.last, "    mail.example.com. AAAA 2001:db8::10")
    }

    func testAPTRNameThatDoesNotLeadBackIsAMismatch() {
        let run = DiagnosisRun.spam(F.target(), F.reverse(.mismatch, ptr: ["host.isp.example.net"]))
        XCTAssertEqual(run.causes, [.fcrdnsMismatch])
        XCTAssertEqual(run.verdict?.evidence, [
            "PTR 10.2.0.192.in-addr.arpa: host.isp.example.net",
            "A host.isp.example.net: 192.0.2.99: does not lead back to 192.0.2.10",
        ])
        XCTAssertEqual(run.verdict?.remediation[1], "    host.isp.example.net. A 192.0.2.10")
    }

    func testAFailedPTRLookupIsInconclusive() {
        let run = DiagnosisRun.spam(F.target(), F.reverse(.lookupFailed, failure: "SERVFAIL"))
        XCTAssertEqual(run.status("reverse-dns"), .inconclusive)
        XCTAssertEqual(run.evidence("reverse-dns"), ["PTR 10.2.0.192.in-addr.arpa: lookup failed (SERVFAIL)"])
        XCTAssertTrue(run.evidence("bulk-sender").contains("[unknown] Reverse DNS: the sending address has a forward-confirmed PTR name"))
        XCTAssertEqual(run.causes, [])
    }

    // MARK: MX

    func testMXPresentIsRuledOut() {
        XCTAssertEqual(DiagnosisRun.spam().evidence("mx"), ["MX example.com: 10 mail.example.com"])
    }

    func testNullMXIsAnError() {
        let run = DiagnosisRun.spam(F.target(), F.mx(.nullMX))
        XCTAssertEqual(run.causes, [.mxMissing])
        XCTAssertEqual(run.verdict?.severity, .error)
        XCTAssertEqual(run.verdict?.remediation, [
            "If the domain sends mail, replace the null MX with a real mail server:", "    example.com. MX 10 mail.example.com.",
        ])
    }

    func testNoMXAndNoAddressIsAnError() {
        let run = DiagnosisRun.spam(F.target(), F.mx(.missing))
        XCTAssertEqual(run.verdict?.cause, .mxMissing)
        XCTAssertEqual(run.verdict?.severity, .error)
        XCTAssertEqual(run.verdict?.remediation.last, "    example.com. MX 10 mail.example.com.")
    }

    func testImplicitMXIsAWarning() {
        let run = DiagnosisRun.spam(F.target(), F.mx(.implicit))
        XCTAssertEqual(run.status("mx"), .confirmed)
        XCTAssertEqual(run.verdict?.cause, .mxMissing)
        XCTAssertEqual(run.verdict?.severity, .warning)
    }

    func testAFailedMXLookupIsInconclusive() {
        let run = DiagnosisRun.spam(F.target(), F.mx(.lookupFailed, failure: "timeout"))
        XCTAssertEqual(run.status("mx"), .inconclusive)
        XCTAssertEqual(run.evidence("mx"), ["MX example.com: lookup failed (timeout)"])
        XCTAssertEqual(run.causes, [])
    }

    // MARK: bulk sender

    func testEveryRequirementMetIsRuledOut() {
        let run = DiagnosisRun.spam()
        XCTAssertEqual(run.status("bulk-sender"), .ruledOut)
        XCTAssertEqual(Array(run.evidence("bulk-sender").prefix(5)), [
            "[met]     SPF passes for the sending address (pass)",
            "[met]     DKIM: a key published for the signing selector",
            "[met]     DMARC: a valid record, at least p=none",
            "[unknown] DMARC alignment: the From domain must match the SPF or DKIM domain (needs a sent message)",
            "[met]     Reverse DNS: the sending address has a forward-confirmed PTR name",
        ])
    }

    func testAnUnmetRequirementIsConfirmedWithoutAFinding() {
        let run = DiagnosisRun.spam(F.target(), F.dkim(F.selector("default", .missing), guessed: true))
        XCTAssertEqual(run.status("bulk-sender"), .confirmed)
        XCTAssertNil(run.step("bulk-sender")?.cause)
        XCTAssertEqual(run.causes, [.dkimKeyMissing], "only the DKIM step's own finding")
        XCTAssertTrue(run.evidence("bulk-sender").contains("[NOT met] DKIM: a key published for the signing selector"))
    }

    func testWithoutAnAddressBulkSendersAreJudgedOnTheRecordAlone() {
        let run = DiagnosisRun.spam(F.target(ip: nil), F.spf(ip: nil))
        XCTAssertEqual(run.evidence("bulk-sender").first, "[met]     SPF: one valid record (give --sending-ip to test the address)")
        XCTAssertTrue(run.evidence("bulk-sender").contains("[unknown] Reverse DNS (give --sending-ip)"))
    }

    // MARK: several faults

    func testTheVerdictIsTheFirstErrorInTreeOrder() {
        let run = DiagnosisRun.spam(F.target(),
                                    F.spf(record: "v=spf1 mx ?all", result: .neutral),
                                    F.dkim(F.selector("s1", .missing)),
                                    F.dmarc(.missing(checked: ["_dmarc.example.com"])),
                                    F.reverse(.missing),
                                    F.mx(.implicit))
        XCTAssertEqual(run.statuses, statuses([
            "spf-authorized": .confirmed, "dkim-key": .confirmed, "dmarc-record": .confirmed, "reverse-dns": .confirmed,
            "mx": .confirmed, "dmarc-policy": .skipped, "bulk-sender": .confirmed,
        ]))
        XCTAssertEqual(run.causes, [.spfIPNotAuthorized, .dkimKeyMissing, .dmarcMissing, .ptrMissing, .mxMissing])
        XCTAssertEqual(run.state.findings.map(\.severity), [.warning, .error, .error, .error, .warning])
        XCTAssertEqual(run.verdict?.cause, .dkimKeyMissing, "the neutral SPF comes first but is only a warning")
        let verdict = run.verdict?.remediation ?? []
        XCTAssertEqual(Array(run.state.remediation.prefix(verdict.count)), verdict)
        XCTAssertEqual(run.state.remediation.first, "Turn on DKIM signing in the service that sends the mail; it gives a selector and a public key to publish:")
        XCTAssertTrue(run.state.remediation.contains("    example.com. TXT \"v=spf1 mx ip4:192.0.2.10 ?all\""))
        XCTAssertTrue(run.state.remediation.contains("    example.com. MX 10 mail.example.com."))
    }

    func testWarningsOnlyMakeTheFirstWarningTheVerdict() {
        let run = DiagnosisRun.spam(F.target(), F.dmarcFound("v=DMARC1; p=none; rua=mailto:d@example.com"), F.mx(.implicit))
        XCTAssertEqual(run.causes, [.mxMissing, .dmarcPolicyNone])
        XCTAssertEqual(run.verdict?.cause, .mxMissing)
        XCTAssertEqual(run.verdict?.severity, .warning)
    }
}
