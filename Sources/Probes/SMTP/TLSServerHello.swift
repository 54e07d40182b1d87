/// Reads the cipher suite from the server's first TLS record (the ServerHello,
/// RFC 8446 4.1.3 / RFC 5246 7.4.1.3), which travels in clear even in TLS 1.3.
/// swift-nio-ssl has no public API for the negotiated suite.
public enum TLSServerHello {
    /// The suite's code, or nil when the bytes are not (yet) a whole ServerHello up to that field.
    public static func cipherSuite(_ bytes: [UInt8]) -> UInt16? {
        // Record header: type 22 (handshake), version, length.
        guard bytes.count >= 5, bytes[0] == 0x16 else { return nil }
        var i = 5
        // Handshake header: type 2 (server_hello), 3-byte length.
        guard bytes.count >= i + 4, bytes[i] == 0x02 else { return nil }
        i += 4
        i += 2 + 32  // legacy_version, random
        guard bytes.count > i else { return nil }
        let sessionIDLength = Int(bytes[i])
        guard sessionIDLength <= 32 else { return nil }
        i += 1 + sessionIDLength
        guard bytes.count >= i + 2 else { return nil }
        return UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])
    }

    /// The IANA name of common suites; others as hex.
    public static func name(_ code: UInt16) -> String {
        switch code {
        case 0x1301: return "TLS_AES_128_GCM_SHA256"
        case 0x1302: return "TLS_AES_256_GCM_SHA384"
        case 0x1303: return "TLS_CHACHA20_POLY1305_SHA256"
        case 0xC02B: return "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
        case 0xC02C: return "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"
        case 0xC02F: return "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
        case 0xC030: return "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
        case 0xCCA8: return "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
        case 0xCCA9: return "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"
        case 0x009C: return "TLS_RSA_WITH_AES_128_GCM_SHA256"
        case 0x009D: return "TLS_RSA_WITH_AES_256_GCM_SHA384"
        case 0x002F: return "TLS_RSA_WITH_AES_128_CBC_SHA"
        case 0x0035: return "TLS_RSA_WITH_AES_256_CBC_SHA"
        default:
            let hex = String(code, radix: 16, uppercase: true)
            return "0x" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
    }
}
