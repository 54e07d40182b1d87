/// A parsed `v=spf1` record.
public struct SPFRecord: Sendable, Hashable {
    /// The record as published.
    public var text: String
    /// Every term in order.
    public var terms: [SPFTerm]

    /// The directives in evaluation order.
    public var directives: [(qualifier: SPFQualifier, mechanism: SPFMechanism, text: String)] {
        terms.compactMap { term in
            if case .directive(let qualifier, let mechanism) = term.kind { return (qualifier, mechanism, term.text) }
            return nil
        }
    }

    /// The `redirect=` domain-spec, if any (at most one, checked by the parser).
    public var redirect: SPFMacroString? {
        for term in terms { if case .modifier(.redirect(let spec)) = term.kind { return spec } }
        return nil
    }

    /// The `exp=` domain-spec, if any.
    public var explanation: SPFMacroString? {
        for term in terms { if case .modifier(.explanation(let spec)) = term.kind { return spec } }
        return nil
    }

    /// RFC 7208 5.1: a record with `all` ignores its `redirect=`.
    public var hasAll: Bool {
        directives.contains { if case .all = $0.mechanism { return true } else { return false } }
    }

    /// RFC 7208 4.5: a TXT string is an SPF record when it starts with
    /// `v=spf1` (any case) followed by a space or the end.
    public static func isSPFRecord(_ text: String) -> Bool {
        var scalars = text.unicodeScalars.makeIterator()
        for expected in "v=spf1".unicodeScalars {
            guard let scalar = scalars.next(), scalar.isASCII,
                  Character(scalar).lowercased() == String(expected) else { return false }
        }
        guard let next = scalars.next() else { return true }
        return next == " "
    }
}
