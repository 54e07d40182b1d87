/// A Content-Type value (RFC 2045 section 5.1): `type/subtype; name=value`.
/// Type, subtype and parameter names are lowercased.
public struct MIMEContentType: Sendable, Hashable, Codable {
    public var type: String
    public var subtype: String
    public var parameters: [String: String]

    public init(type: String, subtype: String, parameters: [String: String] = [:]) {
        self.type = type
        self.subtype = subtype
        self.parameters = parameters
    }

    /// RFC 2045 section 5.2: a missing or unreadable Content-Type is text/plain (US-ASCII).
    public static let textPlain = MIMEContentType(type: "text", subtype: "plain")
    /// RFC 2046 section 5.1.5: the default inside multipart/digest.
    public static let messageRFC822 = MIMEContentType(type: "message", subtype: "rfc822")

    public var mimeType: String { type + "/" + subtype }
    public var isMultipart: Bool { type == "multipart" }
    public var boundary: String? { parameters["boundary"].flatMap { $0.isEmpty ? nil : $0 } }
    public var charset: String? { parameters["charset"] }

    /// Parses a header value; nil when it has no `type/subtype`.
    public init?(parsing value: String) {
        var scanner = MIMEParameterScanner(value)
        guard let type = scanner.token(), scanner.skip("/"), let subtype = scanner.token() else { return nil }
        self.type = type.lowercased()
        self.subtype = subtype.lowercased()
        self.parameters = scanner.parameters()
    }
}

/// Reads `; name=value` lists, values as tokens or quoted-strings, leniently.
struct MIMEParameterScanner {
    private let chars: [Character]
    private var index = 0

    init(_ text: String) { chars = Array(text.prefix(4096)) }

    private mutating func skipSpace() {
        while index < chars.count, chars[index] == " " || chars[index] == "\t" { index += 1 }
    }

    mutating func skip(_ c: Character) -> Bool {
        skipSpace()
        guard index < chars.count, chars[index] == c else { return false }
        index += 1
        return true
    }

    /// A run of characters up to a separator.
    mutating func token() -> String? {
        skipSpace()
        let start = index
        while index < chars.count, !"/;=\" \t".contains(chars[index]) { index += 1 }
        return index > start ? String(chars[start..<index]) : nil
    }

    mutating func quoted() -> String {
        var out = ""
        index += 1
        while index < chars.count, chars[index] != "\"" {
            if chars[index] == "\\", index + 1 < chars.count { index += 1 }
            out.append(chars[index])
            index += 1
        }
        index += 1
        return out
    }

    mutating func parameters() -> [String: String] {
        var result: [String: String] = [:]
        while index < chars.count {
            // Move to the next ';' (skipping anything unparsable).
            while index < chars.count, chars[index] != ";" {
                if chars[index] == "\"" { _ = quoted() } else { index += 1 }
            }
            guard skip(";"), let name = token() else { continue }
            guard skip("=") else { continue }
            skipSpace()
            let value: String
            if index < chars.count, chars[index] == "\"" {
                value = quoted()
            } else {
                let start = index
                while index < chars.count, chars[index] != ";", chars[index] != " ", chars[index] != "\t" { index += 1 }
                value = String(chars[start..<index])
            }
            let key = name.lowercased()
            if result[key] == nil { result[key] = value }
        }
        return result
    }
}
