import Foundation

/// Reads an SPF result a receiving server wrote into the header: an
/// Authentication-Results field (RFC 8601 2.2) or a Received-SPF field
/// (RFC 7208 9.1). The topmost one is the last server's; anything below may
/// have been written by the sender, so the evidence says which was read and
/// that it was taken as written.
enum SPFHeaderReader {
    static func authenticationResults(_ message: SavedMessage) -> MessageSPF? {
        for field in message.fields(named: "Authentication-Results") {
            guard let value = message.value(field, limit: 16 * 1024) else { continue }
            let parts = split(withoutComments(value), on: ";")
            guard let first = parts.first else { continue }
            let authservID = first.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
            for part in parts.dropFirst() {
                let words = tokens(part)
                guard let method = words.first, method.key == "spf" else { continue }
                let result = SPFResult(rawValue: DKIMTagList.asciiLowercased(method.value))
                let mailFrom = words.first { $0.key == "smtp.mailfrom" }?.value
                let domain = mailFrom.flatMap { $0.contains("@") ? MessageSPF.domain(of: $0) : DMARCAlignment.normalized($0) }
                var line = "Authentication-Results of \(SafeShown.text(authservID)): spf=\(SafeShown.text(method.value))"
                if let mailFrom { line += " smtp.mailfrom=\(SafeShown.text(mailFrom, limit: 120))" }
                return MessageSPF(source: .authenticationResults(authservID: authservID), result: result, domain: domain,
                                  evidence: [line + " (read as written; not evaluated here)"])
            }
        }
        return nil
    }

    static func receivedSPF(_ message: SavedMessage) -> MessageSPF? {
        guard let field = message.fields(named: "Received-SPF").first,
              let value = message.value(field, limit: 16 * 1024) else { return nil }
        let text = withoutComments(value)
        let resultWord = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
        let pairs = split(text, on: ";").flatMap(tokens)
        let envelope = pairs.first { $0.key == "envelope-from" }?.value
        let domain = envelope.flatMap { MessageSPF.domain(of: MessageSPF.address($0)) }
        var line = "Received-SPF: \(SafeShown.text(resultWord))"
        if let envelope { line += " envelope-from=\(SafeShown.text(envelope, limit: 120))" }
        return MessageSPF(source: .receivedSPF, result: SPFResult(rawValue: DKIMTagList.asciiLowercased(resultWord)),
                          domain: domain, evidence: [line + " (read as written; not evaluated here)"])
    }

    /// `key=value` words of one clause, keys in lower case; `a = b` counts as `a=b`.
    static func tokens(_ clause: String) -> [(key: String, value: String)] {
        var squeezed = clause
        while squeezed.contains(" =") { squeezed = squeezed.replacingOccurrences(of: " =", with: "=") }
        while squeezed.contains("= ") { squeezed = squeezed.replacingOccurrences(of: "= ", with: "=") }
        return squeezed.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { (word: Substring) -> (key: String, value: String)? in
            guard let equals = word.firstIndex(of: "=") else { return nil }
            var value = String(word[word.index(after: equals)...])
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return (DKIMTagList.asciiLowercased(String(word[..<equals])), value)
        }
    }

    static func split(_ text: String, on separator: Character) -> [String] {
        text.split(separator: separator, omittingEmptySubsequences: true).map(String.init)
    }

    /// The text with (possibly nested) comments removed (RFC 5322 3.2.2);
    /// quoted strings are kept whole.
    static func withoutComments(_ text: String) -> String {
        var out = ""
        var depth = 0
        var quoted = false
        var escaped = false
        for character in text {
            if escaped { escaped = false; if depth == 0 { out.append(character) }; continue }
            if character == "\\" && (quoted || depth > 0) { escaped = true; if depth == 0 { out.append(character) }; continue }
            if quoted {
                if character == "\"" { quoted = false }
                out.append(character)
            } else if character == "(" {
                depth += 1
            } else if character == ")" && depth > 0 {
                depth -= 1
                if depth == 0 { out.append(" ") }
            } else if depth == 0 {
                if character == "\"" { quoted = true }
                out.append(character)
            }
        }
        return out
    }
}
