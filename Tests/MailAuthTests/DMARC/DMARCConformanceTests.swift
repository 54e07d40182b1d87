import Foundation
import TestSupport
import XCTest
@testable import MailAuth

/// The DMARC cases gathered from OpenDMARC, python `dmarc` and checkdmarc
/// (../shared/conformance/dmarc/dmarc-vectors.json).
final class DMARCConformanceTests: XCTestCase {
    /// Cases that contradict the RFC, with the reason. Keyed by `source`.
    static let excluded: [String: String] = [
        "OpenDMARC libopendmarc/tests/test_dmarc_parse.c #5":
            "p=n: OpenDMARC accepts any value whose first letter is n, q or r. RFC 7489 6.4's grammar "
            + "allows only none, quarantine and reject, and 6.6.3 has receivers ignore a record whose p= "
            + "is not valid (no rua= here), so for RFC-following receivers this domain has no policy.",
    ]

    private func vectors() throws -> [String: Any] {
        guard let url = ConformanceData.file("dmarc/dmarc-vectors.json") else {
            print("DMARC conformance: dmarc/dmarc-vectors.json not found; skipped")
            throw XCTSkip("dmarc/dmarc-vectors.json not found")
        }
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        return try XCTUnwrap(object as? [String: Any])
    }

    /// One group of cases. `vectors()` is called outside XCTUnwrap: on Linux,
    /// XCTUnwrap turns the XCTSkip thrown inside it into a failure.
    private func cases(_ group: String) throws -> [[String: Any]] {
        let all = try vectors()
        return try XCTUnwrap(all[group] as? [[String: Any]])
    }

    func testRecordCases() throws {
        let cases = try cases("record_cases")
        var scores: [DMARCRules: (agree: Int, total: Int, excluded: Int)] = [.rfc7489: (0, 0, 0), .rfc9989: (0, 0, 0)]
        for item in cases {
            let source = item["source"] as? String ?? "?"
            let record = try XCTUnwrap(item["record"] as? String)
            // checkdmarc follows RFC 9989; OpenDMARC and python dmarc RFC 7489.
            let rules: DMARCRules = source.contains("checkdmarc") ? .rfc9989 : .rfc7489
            if Self.excluded[source] != nil {
                scores[rules]!.excluded += 1
                continue
            }
            // "lenient-only": valid only when the library is told to be
            // lenient; its strict mode, like this parser, rejects it.
            let expected = (item["valid"] as? Bool) ?? false
            let result = DMARCRecord.parse(record, rules: rules)
            let valid: Bool
            switch result {
            case .success: valid = true
            case .failure: valid = false
            }
            scores[rules]!.total += 1
            if valid == expected {
                scores[rules]!.agree += 1
            } else {
                XCTFail("\(source): \(record.debugDescription) expected \(expected ? "valid" : "invalid"), got \(result)")
            }
        }
        for (rules, label) in [(DMARCRules.rfc7489, "RFC 7489 sources"), (.rfc9989, "RFC 9989, checkdmarc")] {
            let score = scores[rules]!
            print("DMARC records (\(label)): \(score.agree)/\(score.total)"
                + (score.excluded > 0 ? " (\(score.excluded) excluded, see DMARCConformanceTests.excluded)" : ""))
        }
    }

    /// checkdmarc's cases also name words its warnings contain. Ours are our
    /// own sentences, but where a case expects a warning we should give one
    /// on the same subject. Cases run with options we lack (parked domains)
    /// are left out.
    func testCheckdmarcWarningSubjects() throws {
        let cases = try cases("record_cases")
        var met = 0, total = 0
        for item in cases where (item["source"] as? String ?? "").contains("checkdmarc") && item["kwargs"] is NSNull {
            let record = try XCTUnwrap(item["record"] as? String)
            let expects = item["expect"] as? [[String: Any]] ?? []
            for expectation in expects {
                guard let words = expectation["substrings"] as? [String] else { continue }
                total += 1
                let warnings = (try? DMARCRecord.parse(record, rules: .rfc9989).get().warnings) ?? []
                if warnings.contains(where: { warning in words.allSatisfy { warning.lowercased().contains($0.lowercased()) } }) {
                    met += 1
                } else {
                    XCTFail("\(record): no warning containing \(words); got \(warnings)")
                }
            }
        }
        print("DMARC warnings (checkdmarc subjects): \(met)/\(total)")
    }

    func testAlignmentCases() throws {
        let cases = try cases("alignment_cases")
        // OpenDMARC runs its cases with and without a suffix list; so do we.
        let lists = [("system list", PublicSuffixList.shared),
                     ("built-in list", PublicSuffixList(rulesText: PublicSuffixList.fallbackRules))]
        for (label, suffixes) in lists {
            var agree = 0
            for item in cases {
                let a = try XCTUnwrap(item["domain_a"] as? String)
                let b = try XCTUnwrap(item["domain_b"] as? String)
                let mode: DMARCAlignmentMode = (item["mode"] as? String) == "strict" ? .strict : .relaxed
                let expected = try XCTUnwrap(item["aligned"] as? Bool)
                let aligned = DMARCAlignment.isAligned(a, b, mode: mode, suffixes: suffixes)
                if aligned == expected {
                    agree += 1
                } else {
                    XCTFail("\(item["source"] ?? "?"): \(a) / \(b) \(mode) expected \(expected) (\(label))")
                }
            }
            print("DMARC alignment (\(label)): \(agree)/\(cases.count)")
        }
    }

    func testFromDomainCases() throws {
        let cases = try cases("from_domain_cases")
        var agree = 0
        for item in cases {
            let header = try XCTUnwrap(item["from_header_value"] as? String)
            let expected = item["author_domain"] as? String
            let found = DMARCAuthorDomain.extract(fromHeader: header)
            if found == expected {
                agree += 1
            } else {
                XCTFail("\(header.debugDescription): expected \(expected ?? "nil"), got \(found ?? "nil")")
            }
        }
        print("DMARC From: domains: \(agree)/\(cases.count)")
    }
}
