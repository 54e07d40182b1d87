/// A `tag=value; tag=value` list as RFC 6376 3.2 defines it: the syntax of
/// DKIM-Signature header fields and DKIM key records, which DMARC records
/// borrow (RFC 7489 6.3).
///
/// Parsing checks the grammar only; what each tag means is the caller's
/// business. Values keep their inner whitespace (a base64 `p=` or `b=` may be
/// folded) and lose the whitespace around them.
public struct DKIMTagList: Sendable, Hashable {
    public struct Tag: Sendable, Hashable {
        /// The name as written.
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The tags in the order written.
    public var tags: [Tag]

    /// Longer input is refused unread: no real record or signature comes
    /// near it, and a bound keeps hostile DNS answers cheap.
    public static let maximumLength = 16 * 1024

    public init(tags: [Tag]) {
        self.tags = tags
    }

    /// The value of the first tag named `name`, compared exactly or, when
    /// `ignoringCase`, ASCII case-insensitively.
    public func value(_ name: String, ignoringCase: Bool = false) -> String? {
        index(of: name, ignoringCase: ignoringCase).map { tags[$0].value }
    }

    public func index(of name: String, ignoringCase: Bool = false) -> Int? {
        let wanted = ignoringCase ? Self.asciiLowercased(name) : name
        return tags.firstIndex { (ignoringCase ? Self.asciiLowercased($0.name) : $0.name) == wanted }
    }

    /// Parses `text`. Tag names are case-sensitive in DKIM (RFC 6376 3.2);
    /// DMARC's grammar is ABNF, whose quoted names are case-insensitive
    /// (RFC 5234 2.3), so DMARC passes `caseInsensitiveNames` to have `P=`
    /// and `p=` count as the same tag when looking for duplicates.
    public static func parse(_ text: String, caseInsensitiveNames: Bool = false) -> Result<DKIMTagList, DKIMTagListError> {
        let bytes = Array(text.utf8)
        guard bytes.count <= maximumLength else {
            return .failure(DKIMTagListError(tag: nil, message: "longer than \(maximumLength) bytes; not examined"))
        }
        guard bytes.contains(where: { !isFWS($0) }) else {
            return .failure(DKIMTagListError(tag: nil, message: "empty"))
        }
        let segments = bytes.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false)
        var tags: [Tag] = []
        var seen: Set<String> = []
        for (position, segment) in segments.enumerated() {
            if segment.allSatisfy(isFWS) {
                // One `;` may end the list (RFC 6376 3.2 `[ ";" ]`); an empty
                // tag anywhere else is a syntax error.
                if position == segments.count - 1, position > 0 { break }
                return .failure(DKIMTagListError(tag: nil, message: "empty tag: two ';' in a row, or a ';' at the start"))
            }
            switch parseTag(segment) {
            case .failure(let error):
                return .failure(error)
            case .success(let tag):
                let key = caseInsensitiveNames ? asciiLowercased(tag.name) : tag.name
                guard seen.insert(key).inserted else {
                    return .failure(DKIMTagListError(tag: tag.name, message: "tag \(tag.name)= appears more than once"))
                }
                tags.append(tag)
            }
        }
        return .success(DKIMTagList(tags: tags))
    }

    private static func parseTag(_ segment: ArraySlice<UInt8>) -> Result<Tag, DKIMTagListError> {
        guard let equals = segment.firstIndex(of: UInt8(ascii: "=")) else {
            let shown = SafeShown.text(segment)
            return .failure(DKIMTagListError(tag: nil, message: "'\(shown)' is not tag=value (no '=')"))
        }
        let nameBytes = trimFWS(segment[segment.startIndex..<equals])
        let valueBytes = trimFWS(segment[(equals + 1)...])
        let name = String(decoding: nameBytes, as: UTF8.self)
        guard let first = nameBytes.first, isAlpha(first),
              nameBytes.allSatisfy({ isAlpha($0) || isDigit($0) || $0 == UInt8(ascii: "_") }) else {
            let shown = SafeShown.text(nameBytes)
            return .failure(DKIMTagListError(tag: nil, message: "'\(shown)' is not a tag name (a letter, then letters, digits or '_')"))
        }
        // VALCHAR is printable ASCII but ';'; whitespace may sit between
        // value pieces (FWS).
        if let bad = valueBytes.first(where: { !(isValueChar($0) || isFWS($0)) }) {
            let what = bad >= 0x80 ? "a non-ASCII character" : "control character 0x\(String(bad, radix: 16))"
            return .failure(DKIMTagListError(tag: name, message: "value of \(name)= contains \(what)"))
        }
        return .success(Tag(name: name, value: String(decoding: valueBytes, as: UTF8.self)))
    }

    static func isFWS(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    static func trimFWS(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, isFWS(first) { slice = slice.dropFirst() }
        while let last = slice.last, isFWS(last) { slice = slice.dropLast() }
        return slice
    }

    private static func isValueChar(_ byte: UInt8) -> Bool {
        (0x21...0x3A).contains(byte) || (0x3C...0x7E).contains(byte)
    }

    private static func isAlpha(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte)
    }

    static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}

/// Why a tag list did not parse. `tag` names the tag when one is to blame.
public struct DKIMTagListError: Error, Sendable, Hashable, Codable {
    public var tag: String?
    public var message: String

    public init(tag: String?, message: String) {
        self.tag = tag
        self.message = message
    }
}

/// Puts a fragment of hostile input into a message: printable ASCII only,
/// and not much of it.
enum SafeShown {
    static func text<Bytes: Collection>(_ bytes: Bytes, limit: Int = 40) -> String where Bytes.Element == UInt8 {
        var out = ""
        for byte in bytes.prefix(limit) {
            out += (0x20...0x7E).contains(byte) ? String(UnicodeScalar(byte)) : "?"
        }
        return bytes.count > limit ? out + "..." : out
    }

    static func text(_ string: String, limit: Int = 40) -> String {
        text(Array(string.utf8), limit: limit)
    }
}
