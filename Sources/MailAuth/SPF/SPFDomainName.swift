/// Domain-name rules SPF applies before it asks DNS anything.
enum SPFDomainName {
    /// The longest name DNS can carry in dotted form (RFC 7208 7.3, RFC 1035 2.3.4).
    static let maxLength = 253
    static let maxLabelLength = 63

    /// The name without one trailing dot: MailDNS takes names without it.
    static func withoutTrailingDot(_ name: String) -> String {
        name.hasSuffix(".") ? String(name.dropLast()) : name
    }

    /// Lowercased and without a trailing dot, for comparing names.
    static func key(_ name: String) -> String {
        withoutTrailingDot(name).lowercased()
    }

    /// RFC 7208 7.3: an expanded name longer than 253 characters loses labels
    /// from the left until it fits.
    static func truncated(_ name: String) -> String {
        var labels = name.split(separator: ".", omittingEmptySubsequences: false)
        while labels.count > 1, labels.joined(separator: ".").utf8.count > maxLength {
            labels.removeFirst()
        }
        return labels.joined(separator: ".")
    }

    /// A name DNS can be asked about: 1-63 octets per label, at most 253 in all.
    static func isQueryable(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= maxLength else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false)
            .allSatisfy { !$0.isEmpty && $0.utf8.count <= maxLabelLength }
    }

    /// RFC 7208 4.3: the domain check_host() starts from must be a queryable,
    /// multi-label name (not a domain literal); otherwise the result is none.
    static func isCheckable(_ domain: String) -> Bool {
        let name = withoutTrailingDot(domain)
        guard isQueryable(name), name.contains("."), !name.hasPrefix("[") else { return false }
        return name.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F }
    }

    /// A mechanism or modifier target after macro expansion: trailing dot
    /// removed, truncated to 253 characters; nil when it still cannot be queried.
    static func target(fromExpanded expanded: String) -> String? {
        let name = truncated(withoutTrailingDot(expanded))
        return isQueryable(name) ? name : nil
    }
}
