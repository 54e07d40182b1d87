import Inet

/// What the macro letters stand for during one check (RFC 7208 7.2).
struct SPFMacroValues: Sendable {
    /// `s`: the checked identity, `postmaster@domain` when it had no local-part.
    var sender: String
    /// `l`
    var localPart: String
    /// `o`
    var senderDomain: String
    /// `d`: the domain whose record is being evaluated.
    var domain: String
    /// `i`, `c`, `v`
    var ip: IPAddress
    /// `h`
    var helo: String
    /// `p`: the validated name of the IP, or nil for "unknown".
    var validatedName: String?
    /// `r`
    var receivingHost: String
    /// `t`
    var timestamp: Int

    /// Values for expanding a string that uses only `%{d}` (no connection known).
    static func domainOnly(_ domain: String) -> SPFMacroValues {
        SPFMacroValues(sender: "postmaster@" + domain, localPart: "postmaster", senderDomain: domain,
                       domain: domain, ip: IPAddress(ipv4Bytes: [0, 0, 0, 0]), helo: domain,
                       validatedName: nil, receivingHost: "unknown", timestamp: 0)
    }
}

extension SPFMacroString {
    /// The text with every macro replaced (RFC 7208 7.3).
    func expand(_ values: SPFMacroValues) -> String {
        var output = ""
        for piece in pieces {
            switch piece {
            case .literal(let text), .escape(let text): output += text
            case .macro(let macro): output += macro.expand(values)
            }
        }
        return output
    }
}

extension SPFMacro {
    func expand(_ values: SPFMacroValues) -> String {
        var value = rawValue(values)
        if rightParts != nil || reversed || !delimiters.isEmpty {
            let splitters = Set(delimiters.isEmpty ? "." : delimiters)
            var parts = value.split(omittingEmptySubsequences: false, whereSeparator: { splitters.contains($0) })
            if reversed { parts.reverse() }
            if let rightParts, rightParts < parts.count { parts = Array(parts.suffix(rightParts)) }
            value = parts.joined(separator: ".")
        }
        return urlEscaped ? SPFMacro.urlEscape(value) : value
    }

    private func rawValue(_ values: SPFMacroValues) -> String {
        switch letter {
        case "s": return values.sender
        case "l": return values.localPart
        case "o": return values.senderDomain
        case "d": return values.domain
        case "i": return SPFMacro.dotFormat(values.ip)
        case "p": return values.validatedName ?? "unknown"
        case "v": return values.ip.family == .ipv4 ? "in-addr" : "ip6"
        case "h": return values.helo
        case "c": return values.ip.description
        case "r": return values.receivingHost
        case "t": return String(values.timestamp)
        default: return ""
        }
    }

    /// `i`: dotted quad for IPv4, dot-separated nibbles for IPv6 (RFC 7208 7.3).
    static func dotFormat(_ ip: IPAddress) -> String {
        switch ip.family {
        case .ipv4:
            return ip.bytes.map(String.init).joined(separator: ".")
        case .ipv6:
            let digits = Array("0123456789abcdef")
            return ip.bytes.flatMap { [String(digits[Int($0 >> 4)]), String(digits[Int($0 & 0x0f)])] }
                .joined(separator: ".")
        }
    }

    /// Percent-encodes every byte outside RFC 3986's unreserved set.
    static func urlEscape(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-._~".unicodeScalars.contains(scalar) {
                output.unicodeScalars.append(scalar)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                output += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return output
    }
}
