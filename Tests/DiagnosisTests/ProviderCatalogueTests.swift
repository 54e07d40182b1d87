@testable import Diagnosis
import XCTest

/// Provider recognition, near-miss hosts, and provider steps in the auth verdict.
final class ProviderCatalogueTests: XCTestCase {
    func testRecognisesHostsAndRegionalPatterns() {
        XCTAssertEqual(ProviderCatalogue.provider(for: "smtp.gmail.com")?.name, "Gmail / Google Workspace")
        XCTAssertEqual(ProviderCatalogue.provider(for: "SMTP.Office365.com")?.name, "Microsoft 365 / Exchange Online")
        XCTAssertEqual(ProviderCatalogue.provider(for: "email-smtp.eu-west-1.amazonaws.com")?.name, "Amazon SES")
        XCTAssertEqual(ProviderCatalogue.provider(for: "smtp.zoho.eu")?.name, "Zoho Mail")
        XCTAssertEqual(ProviderCatalogue.provider(for: "smtppro.zoho.com.au")?.name, "Zoho Mail")
        XCTAssertNil(ProviderCatalogue.provider(for: "email-smtp.amazonaws.com"))
        XCTAssertNil(ProviderCatalogue.provider(for: "mail.lab.test"))
    }

    func testNearMissHosts() {
        XCTAssertEqual(ProviderCatalogue.nearMiss("smtp.gmial.com"), "smtp.gmail.com")
        XCTAssertEqual(ProviderCatalogue.nearMiss("smtp.gmail.co"), "smtp.gmail.com")
        XCTAssertEqual(ProviderCatalogue.nearMiss("smtp.sendgird.net"), "smtp.sendgrid.net")
        XCTAssertNil(ProviderCatalogue.nearMiss("smtp.gmail.com"), "an exact host is no mistake")
        XCTAssertNil(ProviderCatalogue.nearMiss("mail.lab.test"))
        XCTAssertEqual(ProviderCatalogue.distance("ab", "ba"), 1)
    }

    func testEveryProviderHasPortsAndAUserNameRule() {
        for provider in ProviderCatalogue.all {
            XCTAssertFalse(provider.ports.isEmpty, provider.name)
            XCTAssertFalse(provider.userName.isEmpty, provider.name)
            XCTAssertFalse(provider.hosts.isEmpty && provider.hostPatterns.isEmpty, provider.name)
        }
    }

    func testKnownReplyTextsNameTheCauseAndTheFix() {
        let ses = ProviderCatalogue.knownReply(host: "email-smtp.us-east-1.amazonaws.com",
                                               text: "554 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: a@b.test")
        XCTAssertEqual(ses?.cause, .relayDenied)
        XCTAssertTrue(ses?.step.hasPrefix("Amazon SES:") ?? false)
        let m365 = ProviderCatalogue.knownReply(host: "smtp.office365.com",
                                                text: "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy.")
        XCTAssertEqual(m365?.cause, .authDisabledByProvider)
        XCTAssertNil(ProviderCatalogue.knownReply(host: "mail.lab.test", text: "Email address is not verified"), "only the provider's own host")
    }
}
