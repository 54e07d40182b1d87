import FuzzSupport
import Inet
@testable import MailAuth

let values: [SPFMacroValues] = [
    SPFMacroValues(sender: "strong-bad@email.example.com", localPart: "strong-bad", senderDomain: "email.example.com",
                   domain: "email.example.com", ip: IPAddress(ipv4Bytes: [192, 0, 2, 3]), helo: "mx.example.org",
                   validatedName: "mx.example.org", receivingHost: "receiver.example.net", timestamp: 1_700_000_000),
    SPFMacroValues(sender: "x-y.z@[ex]ample..", localPart: "x-y.z", senderDomain: "[ex]ample..", domain: "d",
                   ip: IPAddress(ipv6Bytes: [UInt8](0..<16)), helo: "%{d}", validatedName: nil,
                   receivingHost: "unknown", timestamp: -1),
    SPFMacroValues.domainOnly("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.example"),
]

/// The macro-string parser (RFC 7208 7.1) under each of its three grammars,
/// picked by the first byte: it keeps the text it was given, fails at an
/// offset inside it, and whatever it accepts expands without trapping (digit
/// transformers, reversal and custom delimiters on every letter).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSPFMacro(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let grammars: [SPFMacroString.Grammar] = [.domainSpec, .explanation, .modifierValue]
    let grammar = grammars[Int(input.selector.byte) % grammars.count]
    let text = String(decoding: input.selector.rest, as: UTF8.self)
    switch SPFMacroString.parse(text, grammar: grammar) {
    case .failure(let error):
        require(error.offset >= 0 && error.offset <= text.unicodeScalars.count,
                "offset \(error.offset) outside \(text.unicodeScalars.count) scalars")
    case .success(let string):
        require(string.description == text, "description \(string.description.debugDescription) is not the text parsed")
        _ = string.needsConnection
        for value in values {
            let expanded = string.expand(value)
            if let target = SPFDomainName.target(fromExpanded: expanded) {
                require(target.utf8.count <= SPFDomainName.maxLength, "target of \(target.utf8.count) bytes")
            }
        }
    }
    return 0
}

/// The program's entry (see `runFuzzer`): libFuzzer with the function above.
@_cdecl("fuzz_spf_macro_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzSPFMacro)
}
