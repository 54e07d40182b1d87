/// The character-by-character reading of a macro-string.
struct SPFMacroParser {
    let scalars: ArraySlice<Unicode.Scalar>
    let grammar: SPFMacroString.Grammar
    var pieces: [SPFMacroString.Piece] = []
    var literal = ""

    init(scalars: ArraySlice<Unicode.Scalar>, grammar: SPFMacroString.Grammar) {
        self.scalars = scalars
        self.grammar = grammar
    }

    typealias Failure = SPFMacroString.ParseError

    mutating func run() -> Result<SPFMacroString, Failure> {
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if scalar == "%" {
                switch readPercent(at: index) {
                case .success(let next): index = next
                case .failure(let error): return .failure(error)
                }
                continue
            }
            let isLiteral = (0x21...0x7E).contains(scalar.value) || (grammar == .explanation && scalar == " ")
            guard isLiteral else {
                return .failure(fail(index, "character \(SPFMacroParser.describe(scalar)) is not allowed here"))
            }
            literal.unicodeScalars.append(scalar)
            index += 1
        }
        flush()
        let text = String(String.UnicodeScalarView(scalars))
        let result = SPFMacroString(pieces: pieces, description: text)
        if grammar == .domainSpec, let error = checkDomainEnd() { return .failure(error) }
        return .success(result)
    }

    static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private func fail(_ index: Int, _ message: String) -> Failure {
        Failure(offset: index - scalars.startIndex, message: message)
    }

    private mutating func flush() {
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        literal = ""
    }

    /// Reads `%%`, `%_`, `%-` or `%{...}` at `index`; returns the index after it.
    private mutating func readPercent(at index: Int) -> Result<Int, Failure> {
        guard index + 1 < scalars.endIndex else {
            return .failure(fail(index, "'%' at the end; a literal percent sign is written %%"))
        }
        switch scalars[index + 1] {
        case "%": flush(); pieces.append(.escape("%")); return .success(index + 2)
        case "_": flush(); pieces.append(.escape(" ")); return .success(index + 2)
        case "-": flush(); pieces.append(.escape("%20")); return .success(index + 2)
        case "{": return readMacro(at: index)
        default:
            return .failure(fail(index, "'%' must be followed by {, %, _ or -"))
        }
    }

    private mutating func readMacro(at start: Int) -> Result<Int, Failure> {
        var index = start + 2
        guard index < scalars.endIndex else { return .failure(fail(index, "macro letter missing after %{")) }
        let raw = scalars[index]
        let lower = Character(String(raw).lowercased())
        let allowed: Set<Character> = grammar == .domainSpec ? ["s", "l", "o", "d", "i", "p", "h", "v"]
            : ["s", "l", "o", "d", "i", "p", "h", "v", "c", "r", "t"]
        guard raw.isASCII, allowed.contains(lower) else {
            let onlyInExp = ["c", "r", "t"].contains(lower) && raw.isASCII
            return .failure(fail(index, onlyInExp ? "macro %{\(raw)} is allowed only in exp= text"
                                                  : "unknown macro letter \(SPFMacroParser.describe(raw))"))
        }
        index += 1
        var digits = 0
        var value = 0
        while index < scalars.endIndex, ("0"..."9").contains(scalars[index]) {
            value = min(value * 10 + Int(scalars[index].value - 48), 10_000)
            digits += 1
            index += 1
        }
        if digits > 0, value == 0 {
            return .failure(fail(index - 1, "the digit transformer must not be zero"))
        }
        var reversed = false
        if index < scalars.endIndex, scalars[index] == "r" || scalars[index] == "R" {
            reversed = true
            index += 1
        }
        var delimiters = ""
        while index < scalars.endIndex, ".-+,/_=".unicodeScalars.contains(scalars[index]) {
            delimiters.unicodeScalars.append(scalars[index])
            index += 1
        }
        guard index < scalars.endIndex, scalars[index] == "}" else {
            return .failure(fail(min(index, scalars.endIndex - 1), "macro not closed with '}'"))
        }
        flush()
        pieces.append(.macro(SPFMacro(letter: lower, urlEscaped: ("A"..."Z").contains(raw),
                                      rightParts: digits > 0 ? value : nil, reversed: reversed,
                                      delimiters: delimiters)))
        return .success(index + 1)
    }

    /// RFC 7208 7.1: domain-end = ( "." toplabel [ "." ] ) / macro-expand.
    private func checkDomainEnd() -> Failure? {
        guard let last = pieces.last else { return fail(scalars.startIndex, "empty domain-spec") }
        guard case .literal(let text) = last else { return nil }
        var body = Substring(text)
        if body.hasSuffix(".") { body = body.dropLast() }
        let endOffset = scalars.count - (text.unicodeScalars.count - body.unicodeScalars.count)
        guard let dot = body.lastIndex(of: ".") else {
            return Failure(offset: max(0, endOffset - body.unicodeScalars.count),
                           message: "a domain name needs at least two labels and a valid top-level label")
        }
        let top = body[body.index(after: dot)...]
        let topOffset = endOffset - top.unicodeScalars.count
        if !SPFMacroParser.isTopLabel(top) {
            return Failure(offset: topOffset, message: "\"\(top)\" is not a valid top-level label")
        }
        return nil
    }

    /// toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
    static func isTopLabel(_ label: Substring) -> Bool {
        let scalars = Array(label.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last else { return false }
        func alnum(_ s: Unicode.Scalar) -> Bool { s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s)) }
        guard scalars.allSatisfy({ alnum($0) || $0 == "-" }) else { return false }
        if scalars.contains("-") { return alnum(first) && alnum(last) }
        return scalars.contains { $0.isASCII && $0.properties.isAlphabetic }
    }
}
