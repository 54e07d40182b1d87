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
}
