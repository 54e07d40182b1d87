/// One `%{...}` macro (RFC 7208 7.1): a letter and its transformers.
public struct SPFMacro: Sendable, Hashable {
    /// The macro letter, lowercased: s l o d i p h c r t v.
    public var letter: Character
    /// Written in uppercase: the value is URL-escaped (RFC 7208 7.3).
    public var urlEscaped: Bool
    /// The DIGIT transformer: how many right-hand parts to keep; nil keeps all.
    public var rightParts: Int?
    /// The `r` transformer.
    public var reversed: Bool
    /// Characters the value is split on; empty means ".".
    public var delimiters: String
}

/// A macro-string, domain-spec or explain-string (RFC 7208 7.1), parsed.
public struct SPFMacroString: Sendable, Hashable, CustomStringConvertible {
    public enum Piece: Sendable, Hashable {
        case literal(String)
        /// `%%`, `%_` or `%-`, holding what it expands to.
        case escape(String)
        case macro(SPFMacro)
    }

    public var pieces: [Piece]
    /// The text as written.
    public var description: String

    /// Which production of the grammar the text must follow.
    enum Grammar {
        /// domain-spec: no c, r, t macros (RFC 7208 7.3) and a valid domain-end.
        case domainSpec
        /// explain-string: spaces allowed, every macro letter allowed.
        case explanation
        /// The value of an unknown modifier: any macro-string.
        case modifierValue
    }

    struct ParseError: Error, Equatable {
        /// Offset within the parsed text.
        var offset: Int
        var message: String
    }

    /// Every macro letter used, lowercased.
    public var letters: Set<Character> {
        Set(pieces.compactMap { if case .macro(let macro) = $0 { return macro.letter } else { return nil } })
    }

    /// True when expanding needs the connection (IP, sender or HELO), not just `%{d}`.
    public var needsConnection: Bool { !letters.subtracting(["d"]).isEmpty }

    static func parse(_ text: String, grammar: Grammar) -> Result<SPFMacroString, ParseError> {
        parse(Array(text.unicodeScalars)[...], grammar: grammar)
    }

    static func parse(_ scalars: ArraySlice<Unicode.Scalar>, grammar: Grammar) -> Result<SPFMacroString, ParseError> {
        var parser = SPFMacroParser(scalars: scalars, grammar: grammar)
        return parser.run()
    }
}
