/// One `rua=` or `ruf=` destination: a URI with an optional `!size` limit
/// (RFC 7489 6.4 `dmarc-uri`).
public struct DMARCReportURI: Sendable, Hashable, Codable {
    /// The URI without its size limit.
    public var uri: String
    /// Lower-cased scheme, e.g. "mailto".
    public var scheme: String
    /// The `!10m` part without its `!`, if written.
    public var sizeLimit: String?

    /// For a mailto: URI, the address (up to any `?`), if it looks like one.
    public var mailAddress: String? {
        guard scheme == "mailto" else { return nil }
        let rest = uri.dropFirst(scheme.count + 1).prefix { $0 != "?" }
        guard let at = rest.lastIndex(of: "@"), at != rest.startIndex, rest.index(after: at) != rest.endIndex,
              !rest.hasPrefix("/") else { return nil }
        return String(rest)
    }

    /// Reads one list item; nil if it is not a URI (RFC 3986 3: a scheme, a
    /// colon, then URI characters).
    public static func parse(_ text: String) -> DMARCReportURI? {
        var body = Substring(text)
        var sizeLimit: String?
        if let bang = body.lastIndex(of: "!") {
            let suffix = body[body.index(after: bang)...]
            let digits = suffix.prefix { $0.isASCII && $0.isNumber }
            let unit = suffix.dropFirst(digits.count)
            if !digits.isEmpty, unit.isEmpty || (unit.count == 1 && "kmgtKMGT".contains(unit)) {
                sizeLimit = String(suffix)
                body = body[..<bang]
            }
        }
        guard let colon = body.firstIndex(of: ":") else { return nil }
        let scheme = body[..<colon]
        let rest = body[body.index(after: colon)...]
        guard let first = scheme.unicodeScalars.first, isAlpha(first),
              scheme.unicodeScalars.allSatisfy({ isAlpha($0) || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0) }),
              !rest.isEmpty, isURIText(rest) else { return nil }
        return DMARCReportURI(uri: String(body), scheme: String(scheme).lowercased(), sizeLimit: sizeLimit)
    }

    private static func isAlpha(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    /// Unreserved, reserved and %XX characters (RFC 3986 2). `,` and `;`
    /// would have ended the item, so they cannot be here.
    private static func isURIText(_ text: Substring) -> Bool {
        let allowed = "-._~:/?#[]@!$&'()*+,;="
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            if scalar == "%" {
                guard let high = scalars.next(), let low = scalars.next(), high.properties.isASCIIHexDigit,
                      low.properties.isASCIIHexDigit else { return false }
                continue
            }
            guard isAlpha(scalar) || ("0"..."9").contains(scalar) || allowed.unicodeScalars.contains(scalar) else {
                return false
            }
        }
        return true
    }
}
