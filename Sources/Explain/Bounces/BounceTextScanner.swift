/// Reads recipients and their error text out of a human-readable bounce when
/// there is no machine-readable report: each recipient named in the text gets
/// the text from its first mention to the next line naming another recipient.
enum BounceTextScanner {
    /// Addresses that are never the failed recipient: the notification's
    /// sender and receiver, and the original sender.
    static func excludedAddresses(_ context: BounceContext) -> Set<String> {
        var excluded = Set<String>()
        for name in ["From", "To", "Return-Path", "Reply-To", "Sender"] {
            BounceAddress.inHeader(context.header[name]).forEach { excluded.insert(BounceAddress.normalized($0)) }
        }
        if let original = context.originalHeader {
            BounceAddress.inHeader(original["From"]).forEach { excluded.insert(BounceAddress.normalized($0)) }
            BounceAddress.inHeader(original["Return-Path"]).forEach { excluded.insert(BounceAddress.normalized($0)) }
        }
        return excluded
    }

    /// Drafts for the recipients named in `text` (the notification's error text by
    /// default), or for `given` addresses when a report already named them.
    static func drafts(_ context: BounceContext, text: String? = nil, candidates given: [String]? = nil) -> [BounceDraft] {
        let index = BounceTextIndex(text ?? context.errorText)
        let found = BounceAddress.find(in: index.text)
        var candidates = given ?? named(in: index, found: found, excluded: excludedAddresses(context))
        if candidates.isEmpty {
            // Nothing named: fall back on the returned message's recipients.
            let excluded = excludedAddresses(context)
            let to = BounceAddress.inHeader(context.originalHeader?["To"]).filter { !excluded.contains(BounceAddress.normalized($0)) }
            candidates = [to.first ?? ""]
        }
        candidates = Array(candidates.prefix(context.limits.maxRecipients + 1))
        let blocks = candidates.count == 1
            ? [BounceDraft(address: candidates[0], diagnostic: index.text)]
            : BounceTextBlocks.split(index, candidates: candidates, found: found)
        // The focused excerpt is the diagnostic; the whole block stays as a second source.
        return blocks.map { draft in
            var draft = draft
            if let block = draft.diagnostic {
                draft.notificationText = block
                draft.diagnostic = BounceExcerpt.focus(block, address: draft.address)
            }
            return draft
        }
    }

    /// Recipient addresses in order of first mention, without senders, contacts
    /// and (when people are named too) system mailboxes.
    static func named(in index: BounceTextIndex, found: [BounceAddress.Found], excluded: Set<String>) -> [String] {
        // An address quoted once as a sender or contact is never a recipient.
        let noise = Set(found.filter { isNoise($0, in: index) }.map { BounceAddress.normalized($0.address) })
        // After a line such as "did not reach the following recipient(s):" only
        // the addresses below it are recipients (the ones above quote the message).
        let anchor = anchorOffset(index)
        let afterAnchor = found.contains { $0.offset >= anchor && !excluded.contains(BounceAddress.normalized($0.address)) }
        var candidates: [String] = []
        var seen = Set<String>()
        for item in found {
            let key = BounceAddress.normalized(item.address)
            if afterAnchor && item.offset < anchor { continue }
            guard !seen.contains(key), !excluded.contains(key), !noise.contains(key) else { continue }
            seen.insert(key)
            candidates.append(item.address)
        }
        let people = candidates.filter { !isSystemMailbox($0) }
        return people.isEmpty ? candidates : people
    }

    static func isSystemMailbox(_ address: String) -> Bool {
        let local = address.lowercased().split(separator: "@").first.map(String.init) ?? ""
        return ["postmaster", "mailer-daemon", "mailer_daemon", "mail-daemon", "root", "abuse", "noreply", "no-reply",
                "daemon", "mdaemon"].contains(local)
    }

    static let noisyWords = [
        "mail from", "envelope-from", "message-id", "message id", "from:", "return-path", "sender:", "reply-to",
        "smtp.mailfrom", "in-reply-to", "references:", "received:", "by ", "id <", "generated from", "expanded from",
        "please contact", "assistance", "send mail to", "envelope sender", "sent by", "x-original-to",
        "original-recipient", "contact your",
    ]

    /// An address quoting envelope or header data rather than naming a recipient.
    private static func isNoise(_ item: BounceAddress.Found, in index: BounceTextIndex) -> Bool {
        let lineStart = index.lineStarts[index.line(of: item.offset)]
        // Only the words just before the address count ("From: <a> RCPT: <b>" names b).
        let before = index.string(max(lineStart, item.offset - 30)..<item.offset).lowercased()
        if noisyWords.contains(where: { before.containsBytes(of: $0) }) && !before.containsBytes(of: "rcpt") { return true }
        return before.hasSuffix("from <") || before.hasSuffix("from:<") || before.hasSuffix("from=<")
    }

    static let anchors = [
        "following recipient", "following address", "these recipients", "failed addresses", "was not delivered to",
        "unable to deliver message to", "could not be delivered to", "following destination",
    ]

    /// Byte offset of the first line introducing the list of failed recipients, or 0.
    static func anchorOffset(_ index: BounceTextIndex) -> Int {
        for (line, start) in index.lineStarts.enumerated() {
            let end = index.lineEnd(line)
            guard end - start < 300 else { continue }
            let text = index.string(start..<end).lowercased()
            if anchors.contains(where: { text.containsBytes(of: $0) }) { return start }
        }
        return 0
    }
}
