#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 address, kept in its binary form and printed canonically.
public struct IPAddress: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Family: String, Sendable, Codable, CaseIterable {
        case ipv4 = "IPv4"
        case ipv6 = "IPv6"
    }

    public let family: Family
    /// 4 or 16 bytes in network order.
    public let bytes: [UInt8]

    public init?(_ text: String) {
        // inet_pton stops at a NUL; "192.0.2.1\0junk" must not pass as 192.0.2.1.
        guard !text.utf8.contains(0), text.utf8.count <= 64 else { return nil }
        var trimmed = Substring(text)
        if trimmed.hasPrefix("["), trimmed.hasSuffix("]") {
            trimmed = trimmed.dropFirst().dropLast()
        }
        var v4 = in_addr()
        if inet_pton(AF_INET, String(trimmed), &v4) == 1 {
            self.family = .ipv4
            self.bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, String(trimmed), &v6) == 1 {
            self.family = .ipv6
            self.bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    public init(ipv4 raw: in_addr) {
        var copy = raw
        family = .ipv4
        bytes = withUnsafeBytes(of: &copy) { Array($0) }
    }

    public init(ipv6 raw: in6_addr) {
        var copy = raw
        family = .ipv6
        bytes = withUnsafeBytes(of: &copy) { Array($0) }
    }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let af = family == .ipv4 ? AF_INET : AF_INET6
        _ = bytes.withUnsafeBytes { raw in
            inet_ntop(af, raw.baseAddress, &buffer, socklen_t(buffer.count))
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The address as it is written next to a port: `[2001:db8::1]` for IPv6.
    public var bracketed: String { family == .ipv6 ? "[\(description)]" : description }

    /// The name looked up for this address's PTR record (RFC 1035 3.5, RFC 3596 2.5).
    public var reverseName: String {
        switch family {
        case .ipv4:
            return bytes.reversed().map(String.init).joined(separator: ".") + ".in-addr.arpa"
        case .ipv6:
            let digits = "0123456789abcdef".map { $0 }
            var nibbles: [String] = []
            for byte in bytes.reversed() {
                nibbles.append(String(digits[Int(byte & 0x0f)]))
                nibbles.append(String(digits[Int(byte >> 4)]))
            }
            return nibbles.joined(separator: ".") + ".ip6.arpa"
        }
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = IPAddress(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an IP address: \(text)"))
        }
        self = parsed
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension IPAddress {
    /// True when the first `prefixLength` bits of `self` and `network` agree
    /// (same family only; a prefix longer than the address never matches).
    public func isInside(_ network: IPAddress, prefixLength: Int) -> Bool {
        guard family == network.family, prefixLength >= 0, prefixLength <= bytes.count * 8 else { return false }
        var remaining = prefixLength
        for index in bytes.indices where remaining > 0 {
            let bits = min(8, remaining)
            let mask: UInt8 = bits == 8 ? 0xff : ~(0xff >> UInt8(bits))
            if bytes[index] & mask != network.bytes[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// For an IPv4-mapped IPv6 address (::ffff:a.b.c.d), the IPv4 address.
    public var unmappedIPv4: IPAddress? {
        guard family == .ipv6, bytes.prefix(10).allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff else { return nil }
        return IPAddress(ipv4Bytes: Array(bytes.suffix(4)))
    }

    /// An IPv4 address from its 4 bytes in network order.
    public init(ipv4Bytes: [UInt8]) {
        precondition(ipv4Bytes.count == 4)
        var raw = in_addr()
        withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: ipv4Bytes) }
        self.init(ipv4: raw)
    }

    /// An IPv6 address from its 16 bytes in network order.
    public init(ipv6Bytes: [UInt8]) {
        precondition(ipv6Bytes.count == 16)
        var raw = in6_addr()
        withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: ipv6Bytes) }
        self.init(ipv6: raw)
    }
}
