import Foundation

/// The Public Suffix List (publicsuffix.org), which RFC 7489 3.2 uses to find
/// a name's organizational domain: the registrable part, `example.co.uk` for
/// `mail.example.co.uk`.
public struct PublicSuffixList: Sendable {
    /// Where Debian's `publicsuffix` package puts the list.
    public static let systemPath = "/usr/share/publicsuffix/public_suffix_list.dat"

    /// The system list when installed, else a small built-in one.
    public static let shared: PublicSuffixList = {
        if let data = FileManager.default.contents(atPath: systemPath), !data.isEmpty {
            return PublicSuffixList(rulesText: String(decoding: data, as: UTF8.self))
        }
        return PublicSuffixList(rulesText: fallbackRules)
    }()

    /// Plain rules (`co.uk`), stored whole.
    private var rules: Set<String> = []
    /// `*.ck` rules, stored as the part after `*.`.
    private var wildcards: Set<String> = []
    /// `!www.ck` rules, stored without the `!`.
    private var exceptions: Set<String> = []

    public var ruleCount: Int { rules.count + wildcards.count + exceptions.count }

    /// Reads the list's format: one rule per line, the first word counts,
    /// `//` starts a comment line.
    public init(rulesText: String) {
        for line in rulesText.split(whereSeparator: \.isNewline) {
            guard let word = line.split(whereSeparator: \.isWhitespace).first, !word.hasPrefix("//") else { continue }
            let rule = word.lowercased()
            if rule.hasPrefix("!") {
                exceptions.insert(String(rule.dropFirst()))
            } else if rule.hasPrefix("*.") {
                wildcards.insert(String(rule.dropFirst(2)))
            } else if rule != "*" {
                rules.insert(rule)
            }
        }
    }

    /// The public suffix of `name` (`co.uk` for `a.b.co.uk`), by the list's
    /// algorithm: an exception rule wins, else the longest matching rule,
    /// else the implicit `*` (the last label). Nil for a malformed name.
    public func publicSuffix(of name: String) -> String? {
        guard let labels = Self.labels(of: name) else { return nil }
        return labels.suffix(suffixLabelCount(labels.map(Self.matchingForm))).joined(separator: ".")
    }

    /// The public suffix plus one label; nil when `name` is itself a public
    /// suffix (or shorter), or malformed.
    public func registrableDomain(of name: String) -> String? {
        guard let labels = Self.labels(of: name) else { return nil }
        let count = suffixLabelCount(labels.map(Self.matchingForm))
        guard labels.count > count else { return nil }
        return labels.suffix(count + 1).joined(separator: ".")
    }

    /// RFC 7489 3.2: the registrable domain, or the name itself when it has
    /// none (a public suffix, a single label, a malformed name).
    public func organizationalDomain(of name: String) -> String {
        registrableDomain(of: name) ?? DMARCAlignment.normalized(name)
    }

    /// Labels of the public suffix of `labels` (already in matching form).
    private func suffixLabelCount(_ labels: [String]) -> Int {
        // An exception rule matches a name ending in it; its suffix is the
        // rule minus its first label.
        for start in labels.indices where exceptions.contains(labels[start...].joined(separator: ".")) {
            return labels.count - start - 1
        }
        // Longest rule first: the earliest start position that matches.
        for start in labels.indices {
            let candidate = labels[start...].joined(separator: ".")
            if rules.contains(candidate) { return labels.count - start }
            let parent = labels[(start + 1)...].joined(separator: ".")
            if start + 1 < labels.count, wildcards.contains(parent) { return labels.count - start }
        }
        return 1
    }

    /// Names longer than DNS allows are not looked into.
    private static let maximumNameLength = 1024

    /// Lower-cased labels; nil for an empty or over-long name or one with an
    /// empty label inside (`a..b`).
    private static func labels(of name: String) -> [String]? {
        guard name.utf8.count <= maximumNameLength else { return nil }
        let normalized = DMARCAlignment.normalized(name)
        guard !normalized.isEmpty else { return nil }
        let labels = normalized.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        return labels.contains(where: \.isEmpty) ? nil : labels
    }

    /// The list is written in Unicode; an `xn--` label is compared decoded.
    private static func matchingForm(_ label: String) -> String {
        guard label.hasPrefix("xn--"), let decoded = decodePunycode(String(label.dropFirst(4))) else { return label }
        return decoded.lowercased()
    }
}
