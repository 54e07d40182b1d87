import XCTest
import Explain

/// Entities come out through the parser's public API.
final class ReplyEntityExtractorTests: XCTestCase {
    private func entities(_ text: String) -> ReplyEntities {
        if let reply = ReplyLineParser.parse(text).first { return reply.entities }
        return Explainer.explain(text).first?.entities ?? ReplyEntities()
    }

    func testIPv4NotConfusedWithCodesVersionsOrDates() {
        let found = entities("550 5.7.1 Message from 203.0.113.7 rejected on 2024.05.01 by filter 4.2.1.0-beta, see RFC 5321 (v1.2.3)")
        XCTAssertEqual(found.ips, ["203.0.113.7"])
    }

    func testYahooSubCodeIsNotAnAddress() {
        let found = entities("421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes")
        XCTAssertEqual(found.ips, ["192.0.2.25"])
        XCTAssertEqual(found.sendingIP, "192.0.2.25")
    }

    func testAddressesThatLookLikeClassDigitsStillCountInBrackets() {
        XCTAssertEqual(entities("550 5.7.1 Client host [4.2.2.1] blocked").ips, ["4.2.2.1"])
        XCTAssertEqual(entities("550 5.7.1 mail from ip 5.9.10.11 refused").ips, ["5.9.10.11"])
    }

    func testInvalidOctetsAndLongerDottedNumbers() {
        XCTAssertEqual(entities("550 5.7.1 host 300.1.2.3 and 10.2.3.4.5 and 1.2.3 refused").ips, [])
    }

    func testIPv6AndTimestamps() {
        let found = entities("421 4.7.0 gmail-smtp-in.l.google.com[2404:6800:4008:c05::1a] said at 12:00:59 for [IPv6:2001:db8::25]")
        XCTAssertEqual(found.ips, ["2404:6800:4008:c05::1a", "2001:db8::25"])
        XCTAssertEqual(found.hosts, ["gmail-smtp-in.l.google.com"])
        XCTAssertEqual(found.remoteAddresses, ["2404:6800:4008:c05::1a"])
    }

    func testZones() {
        XCTAssertEqual(entities("554 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using zen.spamhaus.org").zones, ["zen.spamhaus.org"])
        XCTAssertEqual(entities("550 5.7.1 listed on bl.spamcop.net, b.barracudacentral.org and dnsbl-1.uceprotect.net").zones,
                       ["bl.spamcop.net", "b.barracudacentral.org", "dnsbl-1.uceprotect.net"])
        XCTAssertEqual(entities("550 5.7.1 IP found in xbl.spamhaus.org; see https://check.spamhaus.org/listed/?searchterm=192.0.2.9").zones, ["xbl.spamhaus.org"])
        XCTAssertEqual(entities("554 5.7.1 rejected: blocked using rbl.example.net").zones, ["rbl.example.net"])
        XCTAssertEqual(entities("550 5.7.1 IP is listed in dnsbl.example.org").zones, ["dnsbl.example.org"])
        XCTAssertEqual(entities("550 5.7.1 see https://www.spamhaus.org/query/ip/192.0.2.9").zones, [], "a web page is not a zone")
    }

    func testMailboxes() {
        let found = entities("550 5.1.1 <bob.smith+tag@Example.ORG>: Recipient address rejected; sender \"odd user\"@example.net and =?utf-8?B?8J+QiPCfkIg=?=@example.org")
        XCTAssertEqual(found.mailboxes, ["bob.smith+tag@example.org", "\"odd user\"@example.net", "=?utf-8?B?8J+QiPCfkIg=?=@example.org"])
        XCTAssertEqual(found.domains, [], "mailbox domains are not repeated as domains")
    }

    func testDomainsHostsAndSenderDomain() {
        let found = entities("550 5.7.26 Unauthenticated email from example.jp is not accepted due to domain's DMARC policy. Please contact the administrator of example.jp domain. https://support.google.com/mail/?p=DmarcRejection")
        XCTAssertEqual(found.senderDomain, "example.jp")
        XCTAssertEqual(found.domains, ["example.jp"])
        XCTAssertEqual(entities("550 5.7.509 Access denied, sending domain [EXAMPLE.JP] does not pass DMARC verification").senderDomain, "example.jp")
        XCTAssertEqual(entities("554 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: sender@example.com").senderDomain, "example.com")
    }

    func testFalseDomainsAreIgnored() {
        let found = entities("550 5.2.2 STOREDRV.Deliver: mailbox full; RESOLVER.ADR.RecipNotFound g0000000000ggg.00 y3si675602plr.1 - gsmtp index.html")
        XCTAssertEqual(found.domains, [])
    }

    func testClientHostInAngleBracketsIsTheSenderNotTheRemote() {
        let found = entities("Diagnostic-Code: smtp; 554 5.7.1 <a8-95.smtp-out.amazonses.com[203.0.113.22]>: Client host rejected: blocked using mail.neko.example.org")
        XCTAssertEqual(found.hosts, [])
        XCTAssertEqual(found.sendingIP, "203.0.113.22")
        XCTAssertEqual(found.zones, ["mail.neko.example.org"])
    }

    func testLoopbackIsNeverTheSendingIP() {
        let found = entities("550 5.1.1 Failed, id=02022-02, from MTA([127.0.0.1]:10025): 550 5.1.1 <neko@example.co.jp>: User unknown")
        XCTAssertEqual(found.ips, ["127.0.0.1"])
        XCTAssertNil(found.sendingIP)
    }
}
