/// What a bounce message says went wrong, one entry per recipient.
public struct BounceReport: Sendable, Hashable, Codable {
    /// The notification's format: "rfc3464", "qmail", "exim", "postfix-plain", "exchange", "gmail"...
    public var format: String
    public var recipients: [BounceRecipient]
    /// From the returned copy (or headers) of the message that bounced.
    public var originalMessageID: String?
    public var originalSubject: String?
    public var originalFrom: String?
    public var originalTo: String?
    /// The MTA that wrote the report (RFC 3464 Reporting-MTA, without its type).
    public var reportingMTA: String?
    /// Plain-words notes: malformed MIME, limits reached, nothing found.
    public var problems: [String]

    public init(format: String, recipients: [BounceRecipient] = [], originalMessageID: String? = nil,
                originalSubject: String? = nil, originalFrom: String? = nil, originalTo: String? = nil,
                reportingMTA: String? = nil, problems: [String] = []) {
        self.format = format
        self.recipients = recipients
        self.originalMessageID = originalMessageID
        self.originalSubject = originalSubject
        self.originalFrom = originalFrom
        self.originalTo = originalTo
        self.reportingMTA = reportingMTA
        self.problems = problems
    }
}

/// One recipient's outcome.
public struct BounceRecipient: Sendable, Hashable, Codable {
    public var address: String
    /// RFC 3464 Original-Recipient, when it differs from the final one.
    public var originalAddress: String?
    /// RFC 3463 enhanced status code, e.g. "5.1.1".
    public var status: String?
    /// Where `status` came from: reported by the server, or inferred here.
    public var statusSource: BounceStatusSource?
    /// The code of the report's own Status field, when it had one (it may
    /// differ from `status`, which prefers the remote server's words).
    public var reportedStatus: String?
    /// RFC 5321 reply code, e.g. 550.
    public var replyCode: Int?
    public var action: BounceAction?
    /// The server's own words (RFC 3464 Diagnostic-Code without its type, or the error text).
    public var diagnosticCode: String?
    public var remoteMTA: String?
    /// True for a permanent failure (5xx), false for a temporary one (4xx), nil when unknown.
    public var permanent: Bool?
    /// A short plain-words reason, e.g. "the mailbox does not exist".
    public var reason: String

    public init(address: String, originalAddress: String? = nil, status: String? = nil,
                statusSource: BounceStatusSource? = nil, reportedStatus: String? = nil, replyCode: Int? = nil, action: BounceAction? = nil,
                diagnosticCode: String? = nil, remoteMTA: String? = nil, permanent: Bool? = nil, reason: String = "") {
        self.address = address
        self.originalAddress = originalAddress
        self.status = status
        self.statusSource = statusSource
        self.reportedStatus = reportedStatus
        self.replyCode = replyCode
        self.action = action
        self.diagnosticCode = diagnosticCode
        self.remoteMTA = remoteMTA
        self.permanent = permanent
        self.reason = reason
    }
}

/// RFC 3464 section 2.3.3 Action values.
public enum BounceAction: String, Sendable, Hashable, Codable, CaseIterable {
    case failed, delayed, delivered, relayed, expanded

    init?(field: String) {
        let word = field.lowercased().mimeTrimmed().prefix { $0.isLetter }
        self.init(rawValue: String(word))
    }
}

/// How the enhanced status code of a recipient was obtained.
public enum BounceStatusSource: String, Sendable, Hashable, Codable {
    /// The RFC 3464 Status field (or the notification's own status field).
    case reported
    /// An enhanced code written in the server's error text.
    case diagnosticText
    /// Inferred from the class of the basic reply code (550 -> 5.0.0).
    case replyCode
    /// Inferred from words in the error text ("mailbox full" -> 5.2.2).
    case phrase
}
