import XCTest
import Explain
import TestSupport

final class ReplyCatalogueTests: XCTestCase {
    /// Every code of the IANA enhanced status code table has an entry whose
    /// class or subject agrees with the table.
    func testEveryRegistryCodeIsInTheCatalogue() throws {
        guard let url = ConformanceData.file("smtp-codes/smtp-enhanced-status-codes.reconstructed.csv") else {
            print("Enhanced status codes: skipped (conformance data not found)")
            throw XCTSkip("conformance data not found")
        }
        let rows = try CSVTable.parse(String(contentsOf: url, encoding: .utf8))
        let header = try XCTUnwrap(rows.first)
        let codeColumn = try XCTUnwrap(header.firstIndex(of: "code"))
        let registryColumn = try XCTUnwrap(header.firstIndex(of: "registry"))
        var enumerated = 0
        var found = 0
        var missing: [String] = []
        for row in rows.dropFirst() where row.count > registryColumn {
            let code = row[codeColumn]
            let parts = code.split(separator: ".").map(String.init)
            XCTAssertEqual(parts.count, 3, code)
            switch row[registryColumn] {
            case "Class Sub-Codes":
                let digit = try XCTUnwrap(Int(parts[0]), code)
                let info = ReplyCatalogue.statusClass(digit)
                XCTAssertEqual(info?.number, digit, "class \(code)")
            case "Subject Sub-Codes":
                let digit = try XCTUnwrap(Int(parts[1]), code)
                let info = ReplyCatalogue.subject(digit)
                XCTAssertEqual(info?.number, digit, "subject \(code)")
            default:
                enumerated += 1
                let subject = try XCTUnwrap(Int(parts[1]), code)
                let detail = try XCTUnwrap(Int(parts[2]), code)
                if let entry = ReplyCatalogue.enhanced(subject: subject, detail: detail) {
                    found += 1
                    XCTAssertEqual(entry.subject, subject, code)
                    XCTAssertEqual(entry.detail, detail, code)
                    XCTAssertEqual(entry.registryKey, code)
                    XCTAssertFalse(entry.meaning.isEmpty, code)
                    XCTAssertNotNil(ReplyCatalogue.subject(subject), code)
                    for statusClass in [4, 5] {
                        let status = try XCTUnwrap(EnhancedStatusCode("\(statusClass).\(subject).\(detail)"))
                        XCTAssertEqual(ReplyCatalogue.enhanced(status)?.registryKey, code)
                    }
                } else {
                    missing.append(code)
                }
            }
        }
        print("Enhanced status codes: \(found)/\(enumerated) in the catalogue")
        XCTAssertEqual(missing, [], "missing from the catalogue")
        XCTAssertEqual(found, ReplyCatalogue.enhancedCodes.count, "catalogue entries not in the registry table")
    }

    func testEveryBasicReplyCodeIsInTheCatalogue() {
        let required = [211, 214, 220, 221, 235, 250, 251, 252, 334, 354, 421, 432, 450, 451, 452, 454, 455,
                        500, 501, 502, 503, 504, 521, 530, 534, 535, 538, 550, 551, 552, 553, 554, 555, 556]
        for code in required {
            let entry = ReplyCatalogue.basic(code)
            XCTAssertNotNil(entry, "\(code)")
            XCTAssertFalse(entry?.meaning.isEmpty ?? true, "\(code)")
        }
        XCTAssertEqual(Set(ReplyCatalogue.basicCodes.map(\.code)).count, ReplyCatalogue.basicCodes.count, "duplicate basic codes")
        print("Basic reply codes: \(required.filter { ReplyCatalogue.basic($0) != nil }.count)/\(required.count) in the catalogue")
    }

    func testBasicCodeOutcomesFollowTheFirstDigit() {
        for entry in ReplyCatalogue.basicCodes {
            switch entry.code / 100 {
            case 2, 3: XCTAssertEqual(entry.family, .none, "\(entry.code)")
            case 4: XCTAssertTrue(entry.temporary, "\(entry.code)")
            default: XCTAssertFalse(entry.temporary, "\(entry.code)")
            }
        }
        XCTAssertEqual(ReplyCatalogue.basic(250)?.outcome, .success)
        XCTAssertEqual(ReplyCatalogue.basic(354)?.outcome, .intermediate)
        XCTAssertEqual(ReplyCatalogue.basic(421)?.outcome, .temporary)
        XCTAssertEqual(ReplyCatalogue.basic(550)?.outcome, .permanent)
    }

    func testFamiliesAndCausesOfKeyCodes() {
        XCTAssertEqual(ReplyCatalogue.basic(535)?.causes, ["auth-bad-credentials"])
        XCTAssertEqual(ReplyCatalogue.basic(534)?.causes.first, "auth-app-password-required")
        XCTAssertEqual(ReplyCatalogue.basic(421)?.causes, ["server-busy"])
        XCTAssertEqual(ReplyCatalogue.basic(521)?.family, .refused)
        XCTAssertEqual(ReplyCatalogue.enhanced(subject: 7, detail: 8)?.causes, ["auth-bad-credentials"])
        XCTAssertEqual(ReplyCatalogue.enhanced(subject: 7, detail: 25)?.causes.first, "ptr-missing")
        XCTAssertEqual(ReplyCatalogue.enhanced(subject: 7, detail: 23)?.causes, ["spf-ip-not-authorized"])
        XCTAssertEqual(ReplyCatalogue.enhanced(subject: 4, detail: 1)?.family, .timeout)
        XCTAssertEqual(ReplyCatalogue.enhanced(subject: 1, detail: 5)?.family(forClass: 2), ReplyFamily.none)
        XCTAssertEqual(ReplyCatalogue.enhanced(subject: 7, detail: 1)?.family(forClass: 2), ReplyFamily.none)
    }

    /// Every cause named by the catalogue belongs to the project vocabulary.
    func testCausesComeFromTheVocabulary() {
        let all = ReplyCatalogue.basicCodes.flatMap(\.causes) + ReplyCatalogue.enhancedCodes.flatMap(\.causes)
        for cause in all { XCTAssertTrue(CauseVocabulary.all.contains(cause), cause) }
    }

    func testUnknownBasicCodeStillGetsAMeaning() {
        let info = ReplyCatalogue.describeBasic(571)
        XCTAssertEqual(info.code, 571)
        XCTAssertTrue(info.meaning.contains("571"))
        XCTAssertFalse(info.temporary)
    }

    func testEnhancedStatusCodeParsing() {
        XCTAssertEqual(EnhancedStatusCode("5.7.606")?.detail, 606)
        XCTAssertEqual(EnhancedStatusCode("4.4.2")?.statusClass, 4)
        XCTAssertNil(EnhancedStatusCode("3.1.1"))
        XCTAssertNil(EnhancedStatusCode("5.7"))
        XCTAssertNil(EnhancedStatusCode("5.7.1.1"))
        XCTAssertNil(EnhancedStatusCode("5.7.1000"))
        XCTAssertNil(EnhancedStatusCode("5.a.1"))
        XCTAssertEqual(EnhancedStatusCode("5.1.10")?.registryKey, "X.1.10")
    }
}

/// The cause names of DESIGN.md.
enum CauseVocabulary {
    static let all: Set<String> = [
        "host-nxdomain", "host-no-address", "dns-failure",
        "port-closed", "port-filtered", "host-unreachable", "network-blocks-smtp", "ipv6-broken",
        "banner-timeout", "slow-banner", "server-busy", "service-refused",
        "tls-mode-mismatch-implicit", "tls-mode-mismatch-plain", "starttls-not-offered",
        "tls-handshake-failed", "cert-expired", "cert-not-yet-valid", "cert-hostname-mismatch", "cert-untrusted",
        "auth-not-offered", "auth-requires-tls", "auth-mechanism-unsupported",
        "auth-bad-credentials", "auth-app-password-required", "auth-disabled-by-provider",
        "auth-temporary-failure", "plaintext-auth-refused", "relay-denied",
        "spf-missing", "spf-multiple-records", "spf-syntax-error", "spf-too-many-lookups",
        "spf-void-lookups", "spf-ip-not-authorized",
        "dkim-key-missing", "dkim-key-invalid", "dkim-signature-invalid",
        "dmarc-missing", "dmarc-invalid", "dmarc-policy-none",
        "ip-blocklisted", "ptr-missing", "fcrdns-mismatch", "mx-missing", "healthy",
    ]
}

/// RFC 4180 CSV, enough for the registry table (quoted fields, doubled quotes,
/// commas and line breaks inside quotes).
enum CSVTable {
    struct Malformed: Error {}

    static func parse(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let following = next() {
                        if following == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = following }
                    } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"": quoted = true
            case ",": row.append(field); field = ""
            case "\r": continue
            case "\n": row.append(field); field = ""; rows.append(row); row = []
            default: field.unicodeScalars.append(c)
            }
        }
        if quoted { throw Malformed() }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
