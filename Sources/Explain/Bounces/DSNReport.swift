/// The fields of a message/delivery-status body (RFC 3464 section 2): one
/// per-message group and one group per recipient.
public struct DSNReport: Sendable, Hashable {
    /// Reporting-MTA, Arrival-Date, Received-From-MTA, Original-Envelope-Id...
    public var messageFields: MIMEHeader
    /// Final-Recipient, Action, Status, Diagnostic-Code, Remote-MTA... per recipient.
    public var recipientGroups: [MIMEHeader]

    public init(messageFields: MIMEHeader = MIMEHeader(), recipientGroups: [MIMEHeader] = []) {
        self.messageFields = messageFields
        self.recipientGroups = recipientGroups
    }

    /// Fields that belong to the per-message group (RFC 3464 section 2.2).
    static let perMessageNames: Set<String> = [
        "reporting-mta", "dsn-gateway", "received-from-mta", "arrival-date", "original-envelope-id",
        "x-postfix-queue-id", "x-postfix-sender", "x-original-message-id",
    ]
    /// Fields that only make sense for one recipient (RFC 3464 section 2.3).
    static let perRecipientNames: Set<String> = [
        "original-recipient", "final-recipient", "action", "status", "remote-mta",
        "diagnostic-code", "last-attempt-date", "will-retry-until", "final-log-id", "x-actual-recipient",
    ]

    /// Reads the body leniently: groups are split at blank lines, and also
    /// whenever a second Final-Recipient (or Original-Recipient) starts in the
    /// same group, which broken generators produce.
    public init(parsing text: String, maxRecipients: Int = MIMELimits.standard.maxRecipients) {
        var messageFields: [MIMEHeaderField] = []
        var groups: [[MIMEHeaderField]] = []
        var current: [MIMEHeaderField] = []
        var have = Set<String>()          // lowercased names in `current`
        var last: MIMEHeaderField?
        let maxFields = 200, maxValue = 16 * 1024

        func sameAddress(_ a: MIMEHeaderField, _ b: MIMEHeaderField?) -> Bool {
            guard let b else { return false }
            return DSNField.address(a.value).lowercased() == DSNField.address(b.value).lowercased()
        }
        func startGroup() {
            if !current.isEmpty { groups.append(current) }
            current = []
            have = []
        }
        func closeGroup() {
            if let field = last { place(field) }
            last = nil
            startGroup()
        }
        func place(_ field: MIMEHeaderField) {
            let name = field.name.lowercased()
            if DSNReport.perMessageNames.contains(name) && have.isDisjoint(with: DSNField.recipientStartNames) {
                if messageFields.count < maxFields { messageFields.append(field) }
                return
            }
            let complete = have.contains("final-recipient") && (have.contains("action") || have.contains("status"))
            if name == "final-recipient" && have.contains("final-recipient")
                || name == "original-recipient" && (have.contains("original-recipient")
                    || complete && !sameAddress(field, current.first { $0.name.lowercased() == "final-recipient" })) {
                startGroup()
            }
            guard current.count < maxFields else { return }
            current.append(field)
            have.insert(name)
        }

        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            // One group past the limit lets the caller see that recipients were cut.
            if groups.count > maxRecipients { break }
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                closeGroup()
                continue
            }
            if line.first == " " || line.first == "\t" {
                if last != nil, last!.value.utf8.count < maxValue { last!.value += " " + String(line).mimeTrimmed() }
                continue
            }
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                  line.distance(from: line.startIndex, to: colon) < 80, !line[..<colon].contains(" ") else { continue }
            if let field = last { place(field) }
            last = MIMEHeaderField(name: String(line[..<colon]),
                                   value: String(String(line[line.index(after: colon)...]).mimeTrimmed().prefix(maxValue)))
        }
        closeGroup()
        // Groups with no per-recipient field at all are per-message information.
        var recipientGroups: [MIMEHeader] = []
        for group in groups {
            if Set(group.map { $0.name.lowercased() }).isDisjoint(with: DSNReport.perRecipientNames) {
                messageFields += group
            } else {
                recipientGroups.append(MIMEHeader(fields: group))
            }
        }
        self.messageFields = MIMEHeader(fields: messageFields)
        self.recipientGroups = recipientGroups
    }
}
