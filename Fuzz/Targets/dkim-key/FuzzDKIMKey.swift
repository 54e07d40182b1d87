import FuzzSupport
@testable import MailAuth

/// A DKIM key record (RFC 6376 3.6.1) as found in DNS, and the readers under
/// it: the base64 of `p=` and the DER it holds (SubjectPublicKeyInfo or a bare
/// RSAPublicKey), fed the input's bytes directly as well.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDKIMKey(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let text = input.text
    if case .success(let record) = DKIMKeyRecord.parse(text) {
        if let bits = record.keyBits {
            require(bits >= 0 && bits <= record.publicKey.count * 8, "\(bits) bits from \(record.publicKey.count) bytes of key")
        }
        _ = DKIMKeyRecord.colonList(record.keyType)
    }
    if case .success(let bytes) = DKIMBase64.decode(text) {
        require(bytes.count <= text.utf8.count, "\(bytes.count) bytes decoded from \(text.utf8.count)")
        _ = DKIMPublicKeyDER.read(bytes)
    }
    if case .rsa(let bits) = DKIMPublicKeyDER.read(input.bytes) {
        require(bits >= 0 && bits <= input.bytes.count * 8, "\(bits) bits from \(input.bytes.count) bytes of DER")
    }
    return 0
}

/// The program's entry (see `runFuzzer`): libFuzzer with the function above.
@_cdecl("fuzz_dkim_key_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzDKIMKey)
}
