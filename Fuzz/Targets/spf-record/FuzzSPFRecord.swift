import FuzzSupport
import Inet
@testable import MailAuth

/// Values for expanding macros, both address families, with long and odd parts.
let macroValues: [SPFMacroValues] = [
    SPFMacroValues(sender: "strong-bad+tag@email.example.com", localPart: "strong-bad+tag", senderDomain: "email.example.com",
                   domain: "email.example.com", ip: IPAddress(ipv4Bytes: [192, 0, 2, 3]), helo: "mx.example.org",
                   validatedName: nil, receivingHost: "receiver.example.net", timestamp: 1_700_000_000),
    SPFMacroValues(sender: "a@b", localPart: "a", senderDomain: "b", domain: String(repeating: "label.", count: 50) + "test",
                   ip: IPAddress(ipv6Bytes: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1]),
                   helo: "", validatedName: "p.example", receivingHost: "", timestamp: 0),
]

/// A record parses or fails with a position inside it; a parsed record's
/// terms, written out again with single spaces, parse to the same terms; every
/// macro in it expands and gives a target name or none.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSPFRecord(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = FuzzInput(data, size).text
    _ = SPFRecord.isSPFRecord(text)
    switch SPFRecord.parse(text) {
    case .failure(let error):
        require(error.position >= 0 && error.position <= max(text.unicodeScalars.count, SPFRecord.maxLength),
                "error position \(error.position) outside a record of \(text.unicodeScalars.count) scalars")
    case .success(let record):
        require(record.terms.count <= SPFRecord.maxTerms, "\(record.terms.count) terms kept")
        let again = "v=spf1 " + record.terms.map(\.text).joined(separator: " ")
        switch SPFRecord.parse(again) {
        case .failure(let error):
            require(false, "the terms of a parsed record do not parse again: \(again.debugDescription): \(error)")
        case .success(let reparsed):
            require(reparsed.terms.map(\.kind) == record.terms.map(\.kind), "terms differ after writing out: \(again.debugDescription)")
        }
        var specs = record.directives.compactMap(\.mechanism.domainSpec)
        specs += [record.redirect, record.explanation].compactMap { $0 }
        for term in record.terms {
            if case .modifier(.unknown(_, let value)) = term.kind { specs.append(value) }
        }
        _ = record.hasAll
        for spec in specs {
            for values in macroValues {
                let expanded = spec.expand(values)
                if let target = SPFDomainName.target(fromExpanded: expanded) {
                    require(SPFDomainName.isQueryable(target), "target \(target.debugDescription) is not queryable")
                }
            }
        }
    }
    return 0
}

/// The program's entry (see `runFuzzer`): libFuzzer with the function above.
@_cdecl("fuzz_spf_record_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzSPFRecord)
}
