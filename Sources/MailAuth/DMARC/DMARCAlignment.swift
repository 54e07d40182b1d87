/// Identifier alignment (RFC 7489 3.1): does an authenticated domain (DKIM
/// `d=`, SPF MAIL FROM) match the From: domain closely enough?
public enum DMARCAlignment {
    /// Strict: the same name. Relaxed: the same organizational domain.
    /// Names compare case-insensitively, stray leading and trailing dots
    /// ignored; an empty name matches nothing.
    public static func isAligned(
        _ a: String, _ b: String, mode: DMARCAlignmentMode, suffixes: PublicSuffixList = .shared
    ) -> Bool {
        let first = normalized(a)
        let second = normalized(b)
        guard !first.isEmpty, !second.isEmpty else { return false }
        switch mode {
        case .strict:
            return first == second
        case .relaxed:
            return first == second || suffixes.organizationalDomain(of: first) == suffixes.organizationalDomain(of: second)
        }
    }

    /// Lower-cased, without leading or trailing dots.
    static func normalized(_ name: String) -> String {
        var text = Substring(name.lowercased())
        while text.hasPrefix(".") { text = text.dropFirst() }
        while text.hasSuffix(".") { text = text.dropLast() }
        return String(text)
    }
}
