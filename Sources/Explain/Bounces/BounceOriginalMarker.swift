import Foundation

/// Finds where a plain-text bounce stops talking about the failure and starts
/// quoting the message that bounced ("--- Below this line is a copy of the message.").
enum BounceOriginalMarker {
    /// Marker lines, lowercased, with dashes, brackets and final punctuation removed.
    static let exact: Set<String> = [
        "original message", "original message follows", "unsent message follows", "returned message",
        "the header of the original message is following", "enclosed is a copy of the message",
        "below is a copy of the original message", "original message headers", "message headers follow",
        "from here, just a copy of the original message, with full headers", "original message header",
        "the original message headers follow", "headers of the original message", "copy of the original message",
        "original message details", "message header follows", "returned mail follows", "message text follows",
    ]
    static let prefixes: [String] = [
        "this is a copy of the message", "below this line is a copy of the message",
        "the original message headers are included", "content-type: message/rfc822",
        "original message follows", "original message headers", "included is a copy of the message",
    ]

    /// The text before the first marker line and, when there is one, the text after it.
    static func split(_ text: String) -> (before: String, after: String?) {
        var offset = text.startIndex
        while offset < text.endIndex {
            let lineEnd = text[offset...].firstIndex(of: "\n") ?? text.endIndex
            if isMarker(text[offset..<lineEnd]) {
                let next = lineEnd < text.endIndex ? text.index(after: lineEnd) : lineEnd
                return (String(text[..<offset]), String(text[next...]))
            }
            offset = lineEnd < text.endIndex ? text.index(after: lineEnd) : lineEnd
        }
        return (text, nil)
    }

    static func isMarker(_ line: Substring) -> Bool {
        guard line.count < 120 else { return false }
        let stripped = line.lowercased().trimmingCharacters(in: .init(charactersIn: " \t-=[]<>.:*|\r"))
        if exact.contains(stripped) { return true }
        return prefixes.contains { stripped.hasPrefix($0) }
    }
}
