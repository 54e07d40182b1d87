/// Helpers for RFC 3464 field values.
enum DSNField {
    static let recipientStartNames: Set<String> = ["final-recipient", "original-recipient", "x-actual-recipient"]

    /// `rfc822; <user@example.com>` -> `user@example.com`; the address-type is dropped.
    static func address(_ value: String) -> String {
        var text = Substring(value)
        if let semicolon = text.firstIndex(of: ";") { text = text[text.index(after: semicolon)...] }
        var result = String(text).mimeTrimmed()
        if let open = result.firstIndex(of: "<"), let close = result[open...].firstIndex(of: ">") {
            result = String(result[result.index(after: open)..<close])
        }
        return result.mimeTrimmed()
    }

    /// The type before the semicolon of a typed field (`smtp`, `X-Unix`, `rfc822`), if any.
    static func type(_ value: String) -> String? {
        guard let semicolon = value.firstIndex(of: ";") else { return nil }
        let type = String(value[..<semicolon]).mimeTrimmed()
        guard !type.isEmpty, type.count <= 12, type.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { return nil }
        return type
    }

    /// `smtp; 550 5.1.1 User unknown` -> `550 5.1.1 User unknown` (the diagnostic-type is dropped).
    static func typedText(_ value: String) -> String {
        let text = value.mimeTrimmed()
        guard let semicolon = text.firstIndex(of: ";") else { return text }
        let type = text[..<semicolon].lowercased().mimeTrimmed()
        guard !type.isEmpty, type.count <= 12, type.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { return text }
        return String(text[text.index(after: semicolon)...]).mimeTrimmed()
    }
}
