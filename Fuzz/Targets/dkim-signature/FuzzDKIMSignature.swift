import FuzzSupport
@testable import MailAuth

/// A saved message's DKIM side: the DKIM-Signature tag list, the message
/// split into fields and body, and both canonicalisations of each. Property:
/// canonicalising twice changes nothing more (both algorithms are idempotent).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDKIMSignature(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    _ = DKIMSignature.parse(headerValue: input.text)
    let message = SavedMessage(bytes: input.bytes)
    for mode in [DKIMCanonicalization.simple, .relaxed] {
        let body = DKIMCanonicalizer.body(message.body, mode)
        require(DKIMCanonicalizer.body(body, mode) == body, "\(mode) body canonicalisation is not idempotent")
    }
    return 0
}

@_cdecl("fuzz_dkim_signature_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzDKIMSignature)
}
