import SwiftASN1

/// What the DER in an RSA key record's `p=` holds. RFC 6376 3.6.1 says an
/// RSAPublicKey, but its own example and nearly every published key is a
/// SubjectPublicKeyInfo (what `openssl rsa -pubout` writes), so both are
/// read.
enum DKIMPublicKeyDER: Sendable, Hashable {
    case rsa(modulusBits: Int)
    /// A SubjectPublicKeyInfo for another algorithm (dotted OID).
    case otherAlgorithm(String)
    case unparsable(String)

    static let rsaEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 1]
    static let ed25519: ASN1ObjectIdentifier = [1, 3, 101, 112]

    static func read(_ der: [UInt8]) -> DKIMPublicKeyDER {
        let spkiError: String
        do {
            return try readSubjectPublicKeyInfo(der)
        } catch {
            spkiError = String(describing: error)
        }
        if let bits = try? readRSAPublicKey(ArraySlice(der)) {
            return .rsa(modulusBits: bits)
        }
        return .unparsable(spkiError)
    }

    /// SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier,
    /// subjectPublicKey BIT STRING } (RFC 5280 4.1).
    private static func readSubjectPublicKeyInfo(_ der: [UInt8]) throws -> DKIMPublicKeyDER {
        let root = try DER.parse(der)
        return try DER.sequence(root, identifier: .sequence) { nodes in
            guard let algorithmNode = nodes.next() else {
                throw ASN1Error.invalidASN1Object(reason: "no AlgorithmIdentifier")
            }
            let algorithm = try DER.sequence(algorithmNode, identifier: .sequence) { inner in
                let oid = try ASN1ObjectIdentifier(derEncoded: &inner)
                _ = inner.next()   // parameters: NULL for RSA, absent for Ed25519
                return oid
            }
            let key = try ASN1BitString(derEncoded: &nodes)
            guard algorithm == rsaEncryption else {
                return .otherAlgorithm(algorithm.description)
            }
            guard key.paddingBits == 0 else {
                throw ASN1Error.invalidASN1Object(reason: "RSA key BIT STRING is not whole bytes")
            }
            return .rsa(modulusBits: try readRSAPublicKey(key.bytes))
        }
    }

    /// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
    /// (RFC 8017 A.1.1). Returns the modulus length in bits.
    private static func readRSAPublicKey(_ der: ArraySlice<UInt8>) throws -> Int {
        let root = try DER.parse(der)
        return try DER.sequence(root, identifier: .sequence) { nodes in
            let modulus = try ArraySlice<UInt8>(derEncoded: &nodes)
            let exponent = try ArraySlice<UInt8>(derEncoded: &nodes)
            guard !exponent.isEmpty else {
                throw ASN1Error.invalidASN1Object(reason: "RSA public exponent is zero")
            }
            return bitLength(modulus)
        }
    }

    /// Bits of a big-endian unsigned integer, leading zeros not counted.
    static func bitLength(_ bytes: ArraySlice<UInt8>) -> Int {
        guard let firstNonZero = bytes.firstIndex(where: { $0 != 0 }) else { return 0 }
        let leading = bytes[firstNonZero]
        let remainingBytes = bytes.distance(from: firstNonZero, to: bytes.endIndex) - 1
        return remainingBytes * 8 + (8 - leading.leadingZeroBitCount)
    }
}
