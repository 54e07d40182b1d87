import Foundation

/// The pieces of a parsed bounce that the recognisers read: the notification
/// header, the machine-readable report(s), the human-readable text, and the
/// returned copy of the original message.
struct BounceContext {
    let message: MIMEMessage
    var header: MIMEHeader { message.header }
    /// RFC 3464 reports found in message/delivery-status parts.
    var reports: [DSNReport] = []
    /// The human-readable notification text, cut before any returned message.
    var errorText = ""
    /// The notification text uncut (still bounded by `MIMELimits.maxTextBytes`).
    var fullText = ""
    /// The header of the returned message (embedded part, or inline copy).
    var originalHeader: MIMEHeader?
    let limits: MIMELimits

    init(message: MIMEMessage, limits: MIMELimits) {
        self.message = message
        self.limits = limits
        let parts = message.parts
        var texts: [String] = []
        var htmls: [String] = []
        var textBytes = 0, reportRecipients = 0
        for (index, part) in parts.enumerated() {
            let insideEmbedded = Self.isInsideEmbeddedMessage(index, parts)
            let type = part.contentType
            if type.type == "message" && (type.subtype == "delivery-status" || type.subtype == "global-delivery-status") {
                // Reports of the returned message (a bounce of a bounce) only when there is no other;
                // all reports together stop one past the recipient limit, so the cut is seen.
                if (!insideEmbedded || reports.isEmpty) && reportRecipients <= limits.maxRecipients {
                    let report = DSNReport(parsing: part.text(limit: limits.maxTextBytes), maxRecipients: limits.maxRecipients)
                    reportRecipients += report.recipientGroups.count
                    reports.append(report)
                }
                continue
            }
            if part.isMessageWrapper {
                if originalHeader == nil, !insideEmbedded, let header = message.embeddedHeader(of: index), !header.fields.isEmpty {
                    originalHeader = header
                }
                continue
            }
            // A multipart whose parts could not be found is read as text too.
            guard part.children.isEmpty, !insideEmbedded else { continue }
            guard textBytes <= limits.maxTextBytes else { continue }
            if type.type == "text" && type.subtype == "html" {
                htmls.append(BounceHTML.text(part.text(limit: limits.maxTextBytes)))
                textBytes += htmls.last!.utf8.count
            } else if type.type == "text" || type.isMultipart || (index == 0 && parts.count == 1) {
                if (part.header["Content-Disposition"] ?? "").lowercased().hasPrefix("attachment"), !texts.isEmpty { continue }
                texts.append(part.text(limit: limits.maxTextBytes))
                textBytes += texts.last!.utf8.count
            }
        }
        fullText = (texts.isEmpty ? htmls.joined(separator: "\n") : texts.joined(separator: "\n"))
            .replacingOccurrences(of: "\r\n", with: "\n")
        let (before, after) = BounceOriginalMarker.split(fullText)
        errorText = before
        if originalHeader == nil, let after {
            originalHeader = Self.inlineHeader(after, limits: limits)
        }
        // Reports written as plain text inside the notification (no MIME part).
        if reports.isEmpty, fullText.range(of: "final-recipient:", options: .caseInsensitive) != nil {
            let report = DSNReport(parsing: Self.fieldLines(errorText.isEmpty ? fullText : errorText), maxRecipients: limits.maxRecipients)
            if !report.recipientGroups.isEmpty { reports.append(report) }
        }
    }

    /// True when some ancestor of part `index` is an embedded message (its
    /// content is the bounced mail, not the notification).
    static func isInsideEmbeddedMessage(_ index: Int, _ parts: [MIMEPart]) -> Bool {
        var cursor = parts[index].parent
        while let current = cursor {
            if parts[current].isMessageWrapper { return true }
            cursor = parts[current].parent
        }
        return false
    }

    /// Parses a header block written inline after a "copy of the message" marker.
    static func inlineHeader(_ text: String, limits: MIMELimits) -> MIMEHeader? {
        var lines = Substring(text)
        while let first = lines.first, first == "\n" || first == " " || first == "\r" { lines = lines.dropFirst() }
        let bytes = Array(lines.utf8.prefix(256 * 1024))
        let parsed = MIMEHeaderParser.parse(bytes, 0..<bytes.count, limits: limits)
        return parsed.header.fields.count >= 2 ? parsed.header : nil
    }

    /// Only the lines of `text` that look like `Name: value` or their continuations,
    /// so a DSN pasted into prose can be read as one.
    static func fieldLines(_ text: String) -> String {
        var out: [Substring] = []
        var keptPrevious = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty { out.append(""); keptPrevious = false; continue }
            if trimmed.startIndex != line.startIndex, keptPrevious {
                out.append(line)   // a folded continuation of the field above
                continue
            }
            keptPrevious = false
            if let colon = trimmed.firstIndex(of: ":"), !trimmed[..<colon].contains(" "),
               DSNReport.perMessageNames.contains(trimmed[..<colon].lowercased())
                || DSNReport.perRecipientNames.contains(trimmed[..<colon].lowercased()) {
                out.append(trimmed)
                keptPrevious = true
            }
        }
        return out.joined(separator: "\n")
    }
}
