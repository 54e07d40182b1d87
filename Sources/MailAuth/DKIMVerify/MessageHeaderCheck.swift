/// The header fields the large mailbox providers require (Gmail's and
/// Yahoo's sender rules, 2024): one From (RFC 5322 3.6), a Message-ID and a
/// Date; and for bulk mail one-click unsubscribe (RFC 8058).
public struct MessageHeaderCheck: Sendable, Hashable {
    public var fromCount: Int
    public var messageIDCount: Int
    public var dateCount: Int
    /// Why the message counts as bulk mail; nil when it does not.
    public var bulkReason: String?
    /// The List-Unsubscribe value (first field), as written.
    public var listUnsubscribe: String?
    /// The List-Unsubscribe-Post value (first field), as written.
    public var listUnsubscribePost: String?
    /// List-Unsubscribe holds an https URI (RFC 8058 3.1).
    public var hasHTTPSUnsubscribe: Bool
    /// List-Unsubscribe-Post is exactly `List-Unsubscribe=One-Click` (RFC 8058 3.1).
    public var hasOneClickPost: Bool
    /// A passing DKIM signature covers List-Unsubscribe and List-Unsubscribe-Post (RFC 8058 4).
    public var unsubscribeSigned: Bool

    public var isBulk: Bool { bulkReason != nil }
    public var hasOneClickUnsubscribe: Bool { hasHTTPSUnsubscribe && hasOneClickPost && unsubscribeSigned }

    public init(message: SavedMessage, dkim: [DKIMVerification]) {
        fromCount = message.fields(named: "From").count
        messageIDCount = message.fields(named: "Message-ID").count
        dateCount = message.fields(named: "Date").count
        listUnsubscribe = message.fields(named: "List-Unsubscribe").first.flatMap { message.value($0, limit: 16 * 1024) }
        listUnsubscribePost = message.fields(named: "List-Unsubscribe-Post").first
            .flatMap { message.value($0, limit: 16 * 1024) }
        let precedence = message.fields(named: "Precedence").first.flatMap { message.value($0, limit: 256) }
            .map(DKIMTagList.asciiLowercased)
        if listUnsubscribe != nil {
            bulkReason = "it has a List-Unsubscribe field"
        } else if let precedence, precedence == "bulk" || precedence == "list" {
            bulkReason = "it has Precedence: \(precedence)"
        } else {
            bulkReason = nil
        }
        hasHTTPSUnsubscribe = Self.unsubscribeURIs(listUnsubscribe ?? "").contains {
            DKIMTagList.asciiLowercased($0).hasPrefix("https://")
        }
        hasOneClickPost = listUnsubscribePost.map {
            DKIMTagList.asciiLowercased($0) == "list-unsubscribe=one-click"
        } ?? false
        unsubscribeSigned = dkim.contains {
            $0.passed && $0.signs("List-Unsubscribe") && $0.signs("List-Unsubscribe-Post")
        }
    }

    /// The URIs of a List-Unsubscribe value, each in angle brackets (RFC 2369 3.2).
    static func unsubscribeURIs(_ value: String) -> [String] {
        var uris: [String] = []
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            uris.append(String(rest[rest.index(after: open)..<close]).filter { $0 != " " && $0 != "\t" })
            rest = rest[rest.index(after: close)...]
        }
        return uris
    }

    /// What is wrong, as findings.
    var findings: [MessageFinding] {
        var found: [MessageFinding] = []
        var problems: [String] = []
        if fromCount == 0 { problems.append("no From field (RFC 5322 3.6 requires exactly one)") }
        if fromCount > 1 { problems.append("\(fromCount) From fields (RFC 5322 3.6 allows exactly one; Gmail rejects this)") }
        if messageIDCount == 0 { problems.append("no Message-ID field (Gmail requires one, RFC 5322 3.6.4)") }
        if dateCount == 0 { problems.append("no Date field (RFC 5322 3.6 requires one)") }
        if !problems.isEmpty {
            found.append(MessageFinding(
                cause: .messageHeadersInvalid, summary: "The message lacks header fields the large providers require.",
                evidence: problems))
        }
        if let bulkReason, !hasOneClickUnsubscribe {
            var evidence = ["the message is bulk mail: \(bulkReason)"]
            if listUnsubscribe == nil {
                evidence.append("no List-Unsubscribe field")
            } else if !hasHTTPSUnsubscribe {
                evidence.append("List-Unsubscribe has no https URI: \(SafeShown.text(listUnsubscribe ?? "", limit: 160))")
            }
            if !hasOneClickPost {
                evidence.append(listUnsubscribePost.map {
                    "List-Unsubscribe-Post is \"\(SafeShown.text($0, limit: 80))\", not \"List-Unsubscribe=One-Click\""
                } ?? "no List-Unsubscribe-Post: List-Unsubscribe=One-Click field")
            }
            if !unsubscribeSigned {
                evidence.append("no passing DKIM signature covers both List-Unsubscribe and List-Unsubscribe-Post (RFC 8058 4)")
            }
            found.append(MessageFinding(
                cause: .oneClickUnsubscribeMissing,
                summary: "Bulk mail without one-click unsubscribe (RFC 8058): Gmail and Yahoo require it of bulk senders.",
                evidence: evidence))
        }
        return found
    }
}
