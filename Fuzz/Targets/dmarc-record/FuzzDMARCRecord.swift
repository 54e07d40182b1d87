import FuzzSupport
@testable import MailAuth

/// The DMARC record parser under the rules the first byte picks (RFC 7489 or
/// RFC 9989), what a parsed record means, and the other DMARC readers of
/// stranger-written text: report URIs, the From header's author domain, the
/// organizational domain of a name.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDMARCRecord(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let rules: DMARCRules = input.selector.byte & 1 == 0 ? .rfc7489 : .rfc9989
    let text = String(decoding: input.selector.rest, as: UTF8.self)
    if case .success(let record) = DMARCRecord.parse(text, rules: rules) {
        require((0...100).contains(record.percent), "pct=\(record.percent) kept")
        _ = record.policy(forSubdomainThatExists: true)
        _ = record.policy(forSubdomainThatExists: false)
        _ = record.meaning(for: "example.com")
        _ = record.meaning(for: "mail.example.co.uk", foundAt: "example.co.uk")
    }
    for piece in text.split(separator: ",") {
        _ = DMARCReportURI.parse(String(piece))?.mailAddress
    }
    if let domain = DMARCAuthorDomain.extract(fromHeader: text) {
        _ = PublicSuffixList.shared.organizationalDomain(of: domain)
        _ = DMARCAlignment.isAligned(domain, "example.com", mode: .relaxed)
    }
    _ = PublicSuffixList.shared.organizationalDomain(of: text)
    return 0
}

/// The program's entry (see `runFuzzer`): libFuzzer with the function above.
@_cdecl("fuzz_dmarc_record_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzDMARCRecord)
}
