import Foundation
import TestSupport
import XCTest
@testable import MailAuth

/// The DKIM vectors gathered from dkimpy and go-msgauth
/// (../shared/conformance/dkim/).
final class DKIMConformanceTests: XCTestCase {
    private func load(_ relative: String) throws -> (URL, [String: Any]) {
        guard let url = ConformanceData.file(relative) else {
            print("DKIM conformance: \(relative) not found; skipped")
            throw XCTSkip("\(relative) not found")
        }
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        return (url, try XCTUnwrap(object as? [String: Any]))
    }

    private func dns(_ records: [String: String]) -> MemoryDNS {
        let dns = MemoryDNS()
        for (name, value) in records { dns.txtRecords[name.lowercased()] = [value] }
        return dns
    }

    /// Every signature's result agrees with the upstream test's assertion;
    /// where upstream asserts nothing, with dkimpy's verdict (the second
    /// opinion recorded in the file).
    func testStaticVectors() async throws {
        let (url, root) = try load("dkim/dkim-static-vectors.json")
        let folder = url.deletingLastPathComponent()
        let cases = try XCTUnwrap(root["cases"] as? [[String: Any]])
        var agree = 0, total = 0, unsignedOK = 0, unsigned = 0, altAgree = 0, altTotal = 0
        for item in cases {
            let file = try XCTUnwrap(item["file"] as? String)
            let message = try [UInt8](Data(contentsOf: folder.appendingPathComponent(file)))
            let records = try XCTUnwrap(item["dns_txt"] as? [String: String])
            let results = await DKIMVerifier.verify(message: message, dns: dns(records), now: Date())
            let signatures = try XCTUnwrap(item["signatures"] as? [[String: Any]])
            if signatures.isEmpty {
                unsigned += 1
                if results.isEmpty { unsignedOK += 1 } else { XCTFail("\(file): no signature expected, got \(results.count)") }
            }
            XCTAssertEqual(results.count, signatures.count, file)
            for signature in signatures {
                let index = try XCTUnwrap(signature["index"] as? Int)
                let expected = (signature["expected"] as? String).map { $0 == "pass" }
                    ?? (signature["dkimpy_1.1.8_minkey512"] as? Bool ?? false)
                total += 1
                guard index < results.count else { continue }
                let result = results[index]
                if result.passed == expected {
                    agree += 1
                } else {
                    XCTFail("\(file) #\(index): expected \(expected ? "pass" : "fail"), got \(result.outcome)\n  "
                            + result.evidence.joined(separator: "\n  "))
                }
            }
            // A second DNS under which dkimpy verifies more signatures.
            if let alternative = item["alt_dns_txt"] as? [String: String] {
                let again = await DKIMVerifier.verify(message: message, dns: dns(alternative), now: Date())
                for signature in signatures {
                    guard let expected = signature["dkimpy_with_alt_dns"] as? Bool,
                          let index = signature["index"] as? Int, index < again.count else { continue }
                    altTotal += 1
                    if again[index].passed == expected { altAgree += 1 } else {
                        XCTFail("\(file) #\(index) with alt_dns_txt: expected \(expected), got \(again[index].outcome)")
                    }
                }
            }
        }
        print("DKIM static vectors: \(agree)/\(total) signatures (+ unsigned \(unsignedOK)/\(unsigned), "
              + "alternative DNS \(altAgree)/\(altTotal))")
        XCTAssertEqual(agree, total)
        XCTAssertEqual(total, 11)
    }

    /// The reasons, not just pass/fail, for the vectors that must fail.
    func testStaticVectorFailureReasons() async throws {
        let (url, root) = try load("dkim/dkim-static-vectors.json")
        let folder = url.deletingLastPathComponent()
        let cases = try XCTUnwrap(root["cases"] as? [[String: Any]])
        var reasons: [String: DKIMVerification.Outcome] = [:]
        for item in cases {
            let file = try XCTUnwrap(item["file"] as? String)
            let message = try [UInt8](Data(contentsOf: folder.appendingPathComponent(file)))
            let records = try XCTUnwrap(item["dns_txt"] as? [String: String])
            reasons[file] = await DKIMVerifier.verify(message: message, dns: dns(records), now: Date()).first?.outcome
        }
        // The RSA key record is corrupted: not a DER key.
        guard case .fail(.keyInvalid) = reasons["dkimpy/data/rfc6376.signed.rsa.msg"] else {
            return XCTFail("corrupted key: \(String(describing: reasons["dkimpy/data/rfc6376.signed.rsa.msg"]))")
        }
        // t= removed after signing: the header hash changes.
        XCTAssertEqual(reasons["dkimpy/data/rfc6376.signed.no_t.msg"], .fail(.signatureMismatch))
        // d= holds "(": not a domain name, so nothing is looked up.
        guard case .fail(.syntax) = reasons["dkimpy/data/test.message.baddomain"] else {
            return XCTFail("bad domain: \(String(describing: reasons["dkimpy/data/test.message.baddomain"]))")
        }
    }

    /// Byte equality for every pair; those with bare CR or LF in the input
    /// are optional (dkimpy expects CRLF input and does not convert).
    func testCanonicalizationVectors() throws {
        let (_, root) = try load("dkim/dkim-canonicalization-vectors.json")
        let vectors = try XCTUnwrap(root["vectors"] as? [[String: Any]])
        var passed = 0, required = 0, optionalPassed = 0, optional = 0
        for (number, vector) in vectors.enumerated() {
            let kind = try XCTUnwrap(vector["kind"] as? String)
            let mode = try XCTUnwrap(DKIMCanonicalization(rawValue: try XCTUnwrap(vector["algo"] as? String)))
            let isOptional = vector["bare_lf_or_cr_in_input"] as? Bool ?? false
            var pairs: [(input: String, expected: String)] = []
            if let input = vector["input"] as? String, let expected = vector["expected"] as? String {
                pairs = [(input, expected)]
            } else {
                let inputs = try XCTUnwrap(vector["input_pairs"] as? [[String]])
                let outputs = try XCTUnwrap(vector["expected_pairs"] as? [[String]])
                pairs = zip(inputs, outputs).map { ($0[0] + ":" + $0[1], $1[0] + ":" + $1[1]) }
            }
            let ok = pairs.allSatisfy { pair in
                let input = Array(pair.input.utf8)
                let output = kind == "body" ? DKIMCanonicalizer.body(input, mode) : DKIMCanonicalizer.header(input, mode)
                return output == Array(pair.expected.utf8)
            }
            if isOptional {
                optional += 1
                if ok { optionalPassed += 1 }
            } else {
                required += 1
                if ok { passed += 1 } else { XCTFail("vector \(number) (\(kind) \(mode)): \(pairs.map(\.input).debugDescription)") }
            }
        }
        print("DKIM canonicalisation vectors: \(passed)/\(required) (+\(optional) optional: \(optionalPassed)/\(optional))")
        XCTAssertEqual(passed, required)
        XCTAssertEqual(required, 39)
    }
}
