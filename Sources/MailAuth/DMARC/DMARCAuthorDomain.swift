/// The RFC5322.From domain DMARC is evaluated for (RFC 7489 3.1 and 6.6.1).
public enum DMARCAuthorDomain {
    /// Longer header values are not examined.
    public static let maximumLength = 16 * 1024

    /// The lower-cased domain of the first mailbox in a From: value. Reads
    /// display names, quoted strings (which may hide `<`, `>`, `,` and `@`),
    /// comments, groups, and a stray header name in front ("From: ...").
    /// Nil when no mailbox has a domain.
    public static func extract(fromHeader value: String) -> String? {
        guard value.utf8.count <= maximumLength else { return nil }
        for mailbox in mailboxes(in: Array(value.unicodeScalars)) {
            if let domain = domain(of: mailbox) { return domain }
        }
        return nil
    }

    /// Splits the value at top-level commas after dropping comments and the
    /// contents of quoted strings: neither can hold the address.
    private static func mailboxes(in scalars: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var items: [[Unicode.Scalar]] = [[]]
        var commentDepth = 0, inQuotes = false, angleDepth = 0, inLiteral = false
        var escaped = false
        for scalar in scalars {
            if escaped { escaped = false; continue }
            if (inQuotes || commentDepth > 0 || inLiteral), scalar == "\\" { escaped = true; continue }
            if inQuotes {
                if scalar == "\"" { inQuotes = false; items[items.count - 1].append(" ") }
                continue
            }
            if commentDepth > 0 {
                if scalar == "(" { commentDepth += 1 } else if scalar == ")" { commentDepth -= 1 }
                if commentDepth == 0 { items[items.count - 1].append(" ") }
                continue
            }
            switch scalar {
            case "\"" where !inLiteral: inQuotes = true
            case "(" where !inLiteral: commentDepth = 1
            case "[": inLiteral = true; items[items.count - 1].append(scalar)
            case "]": inLiteral = false; items[items.count - 1].append(scalar)
            case "<": angleDepth += 1; items[items.count - 1].append(scalar)
            case ">": angleDepth = max(0, angleDepth - 1); items[items.count - 1].append(scalar)
            case "," where angleDepth == 0 && !inLiteral: items.append([])
            default: items[items.count - 1].append(scalar)
            }
        }
        return items
    }

    /// The domain of one mailbox: the address in angle brackets if any,
    /// else the last word with an `@`.
    private static func domain(of mailbox: [Unicode.Scalar]) -> String? {
        var address: [Unicode.Scalar]?
        var open: Int?
        for (index, scalar) in mailbox.enumerated() {
            if scalar == "<" { open = index }
            if scalar == ">", let start = open {
                let inside = Array(mailbox[(start + 1)..<index])
                if inside.contains("@") { address = inside; break }
                open = nil
            }
        }
        if address == nil {
            // A group ("Team: a@b, c@d;") or a header name ("From: a@b"):
            // the mailbox follows the last colon outside a domain literal.
            var text = mailbox[...]
            if let colon = lastColonOutsideLiteral(mailbox) { text = mailbox[(colon + 1)...] }
            address = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
                .last(where: { $0.contains("@") }).map(Array.init)
        }
        guard var found = address, let at = found.lastIndex(of: "@") else { return nil }
        found = Array(found[(at + 1)...])
        while let last = found.last, [">", ";", ".", " ", "\t"].contains(last) { found.removeLast() }
        while let first = found.first, first == " " || first == "\t" { found.removeFirst() }
        guard !found.isEmpty, !found.contains(where: { $0 == " " || $0 == "<" || $0 == "@" }) else { return nil }
        var domain = ""
        domain.unicodeScalars.append(contentsOf: found)
        return domain.lowercased()
    }

    private static func lastColonOutsideLiteral(_ scalars: [Unicode.Scalar]) -> Int? {
        var inLiteral = false
        var found: Int?
        for (index, scalar) in scalars.enumerated() {
            if scalar == "[" { inLiteral = true } else if scalar == "]" { inLiteral = false }
            if scalar == ":", !inLiteral { found = index }
        }
        return found
    }
}
