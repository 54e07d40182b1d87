import Foundation

/// Amazon SES notifications delivered by email (SNS topic subscriptions): a
/// JSON document, sometimes wrapped in an SNS envelope whose "Message" is the
/// JSON again as a string.
enum BounceAmazonSES {
    /// Recipients from a Bounce or Delivery notification; nil when the text is
    /// not such a document. A Complaint gives no recipients (it is not a bounce).
    static func drafts(_ context: BounceContext) -> (drafts: [BounceDraft], kind: String)? {
        guard context.fullText.contains("notificationType") else { return nil }
        // Long lines in these mails are broken by inserting "!\n " (RFC 5321 line length).
        let text = context.fullText.replacingOccurrences(of: "!\n ", with: "")
        guard var object = firstJSONObject(in: text) else { return nil }
        if object["notificationType"] == nil, let inner = object["Message"] as? String,
           let data = inner.data(using: .utf8),
           let parsed = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            object = parsed
        }
        guard let kind = object["notificationType"] as? String else { return nil }
        switch kind.lowercased() {
        case "bounce":
            let bounce = object["bounce"] as? [String: Any] ?? [:]
            let permanent = (bounce["bounceType"] as? String)?.lowercased() == "permanent"
            let list = bounce["bouncedRecipients"] as? [[String: Any]] ?? []
            let drafts = list.prefix(context.limits.maxRecipients + 1).map { item in
                BounceDraft(
                    address: item["emailAddress"] as? String ?? "",
                    reportedStatus: item["status"] as? String,
                    action: (item["action"] as? String).flatMap(BounceAction.init(field:)) ?? (permanent ? .failed : nil),
                    diagnostic: (item["diagnosticCode"] as? String).map(DSNField.typedText),
                    remoteMTA: (bounce["remoteMtaIp"] as? String))
            }
            return (Array(drafts), "bounce")
        case "delivery":
            let delivery = object["delivery"] as? [String: Any] ?? [:]
            let response = delivery["smtpResponse"] as? String
            let list = delivery["recipients"] as? [String] ?? []
            let drafts = list.prefix(context.limits.maxRecipients + 1).map {
                BounceDraft(address: $0, action: .delivered, diagnostic: response, remoteMTA: delivery["remoteMtaIp"] as? String)
            }
            return (Array(drafts), "delivery")
        default:
            return ([], kind.lowercased())
        }
    }

    /// The original message's headers as SES reports them ("mail.commonHeaders").
    static func originalHeader(_ context: BounceContext) -> MIMEHeader? {
        let text = context.fullText.replacingOccurrences(of: "!\n ", with: "")
        guard var object = firstJSONObject(in: text) else { return nil }
        if let inner = object["Message"] as? String, let data = inner.data(using: .utf8),
           let parsed = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            object = parsed
        }
        guard let mail = object["mail"] as? [String: Any] else { return nil }
        var fields: [MIMEHeaderField] = []
        if let headers = mail["headers"] as? [[String: Any]] {
            for header in headers.prefix(200) {
                if let name = header["name"] as? String, let value = header["value"] as? String {
                    fields.append(MIMEHeaderField(name: name, value: value))
                }
            }
        }
        if let id = mail["messageId"] as? String, !fields.contains(where: { $0.name.lowercased() == "message-id" }) {
            fields.append(MIMEHeaderField(name: "Message-ID", value: id))
        }
        return fields.isEmpty ? nil : MIMEHeader(fields: fields)
    }

    /// The first balanced `{...}` in the text, parsed; strings are respected when counting braces.
    static func firstJSONObject(in text: String) -> [String: Any]? {
        let bytes = Array(text.utf8.prefix(4 * 1024 * 1024))
        guard let start = bytes.firstIndex(of: UInt8(ascii: "{")) else { return nil }
        var depth = 0, inString = false, escaped = false
        for i in start..<bytes.count {
            let b = bytes[i]
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            if b == UInt8(ascii: "\"") { inString = true }
            else if b == UInt8(ascii: "{") { depth += 1 }
            else if b == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 {
                    return (try? JSONSerialization.jsonObject(with: Data(bytes[start...i]))) as? [String: Any]
                }
            }
            if depth > 64 { return nil }
        }
        return nil
    }
}
