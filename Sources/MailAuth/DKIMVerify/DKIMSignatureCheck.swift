import Crypto
import Foundation
import _CryptoExtras

/// The public-key step of verification (RFC 6376 3.3, RFC 8463 3): does
/// `b=` sign this SHA-256 hash with this key?
enum DKIMSignatureCheck {
    enum Verdict: Equatable {
        case valid
        case invalid
        /// The key bytes are not a key of the named type.
        case unusableKey(String)
    }

    static func check(signature: [UInt8], digest: SHA256.Digest, algorithm: DKIMSignature.Algorithm,
                      key: [UInt8]) -> Verdict {
        switch algorithm {
        case .rsaSHA256:
            // RFC 8301 3.2: keys of 1024 bits are still accepted, hence the
            // "unsafe" initialiser (the plain one wants 2048). It reads a
            // SubjectPublicKeyInfo and a bare RSAPublicKey alike.
            let publicKey: _RSA.Signing.PublicKey
            do {
                publicKey = try _RSA.Signing.PublicKey(unsafeDERRepresentation: key)
            } catch {
                return .unusableKey("p= is not an RSA public key of 1024 bits or more that BoringSSL can load")
            }
            let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
            return publicKey.isValidSignature(rsaSignature, for: digest, padding: .insecurePKCS1v1_5) ? .valid : .invalid
        case .ed25519SHA256:
            // RFC 8463 3: PureEdDSA over the SHA-256 hash, not over the data.
            guard let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: key) else {
                return .unusableKey("p= is not a 32-byte Ed25519 public key")
            }
            return publicKey.isValidSignature(signature, for: Array(digest)) ? .valid : .invalid
        case .rsaSHA1, .other:
            return .invalid
        }
    }
}
