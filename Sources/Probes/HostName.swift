/// A target host as a person typed it: a DNS name or an address literal.
public enum TargetHost: Hashable, Sendable, CustomStringConvertible {
    case name(String)
    case address(IPAddress)

    /// Why a host was refused, in words fit for a one-line error message.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case tooLong(Int)
        case emptyLabel
        case labelTooLong(String)
        case badCharacter(Character, label: String)
        case hyphenAtEdge(String)
        case numericTopLevel(String)

        public var description: String {
            switch self {
            case .empty: return "the host is empty"
            case .tooLong(let n): return "the host name is \(n) characters long; at most 253 are allowed"
            case .emptyLabel: return "the host name has an empty label (two dots in a row, or a leading dot)"
            case .labelTooLong(let label): return "the label \"\(label.prefix(20).map(Self.printable).joined())...\" is longer than 63 characters"
            case .badCharacter(let c, let label):
                return "\"\(Self.printable(c))\" is not allowed in a host name (label \"\(label.map(Self.printable).joined())\"); use letters, digits and hyphens"
            case .hyphenAtEdge(let label): return "the label \"\(label.map(Self.printable).joined())\" starts or ends with a hyphen"
            case .numericTopLevel(let text): return "\"\(text.map(Self.printable).joined())\" is neither a valid IP address nor a host name"
            }
        }

        private static func printable(_ c: Character) -> String {
            c.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7f } ? String(c)
                : c.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined()
        }
    }

    /// Parses a host name (RFC 1123 2.1 letters, digits, hyphens; a trailing
    /// dot allowed) or an IPv4/IPv6 literal (IPv6 optionally in brackets).
    public static func parse(_ raw: String) -> Result<TargetHost, Problem> {
        let text = raw.trimmingWhitespace()
        if text.isEmpty { return .failure(.empty) }
        if let address = IPAddress(text) { return .success(.address(address)) }
        var name = text
        if name.hasSuffix(".") { name.removeLast() }
        if name.isEmpty { return .failure(.emptyLabel) }
        if name.utf8.count > 253 { return .failure(.tooLong(name.utf8.count)) }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            if label.isEmpty { return .failure(.emptyLabel) }
            if label.utf8.count > 63 { return .failure(.labelTooLong(String(label))) }
            for c in label where !(c.isASCII && (c.isLetter || c.isNumber || c == "-")) {
                return .failure(.badCharacter(c, label: String(label)))
            }
            if label.hasPrefix("-") || label.hasSuffix("-") { return .failure(.hyphenAtEdge(String(label))) }
        }
        // An all-numeric last label is a mistyped address ("192.0.2.300"), not a name.
        if let last = labels.last, last.allSatisfy(\.isNumber) { return .failure(.numericTopLevel(text)) }
        return .success(.name(name.lowercased()))
    }

    public var description: String {
        switch self {
        case .name(let name): return name
        case .address(let address): return address.description
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
