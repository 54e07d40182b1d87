/// Reconciles what a draft recipient says (report fields, error text) into
/// one status, reply code, permanence and plain-words reason.
enum BounceClassifier {
    static func recipient(_ draft: BounceDraft) -> BounceRecipient {
        let diagnostic = draft.diagnostic.map(condensed).flatMap { $0.isEmpty ? nil : $0 }
        let text = diagnostic ?? ""
        let reported = draft.reportedStatus.flatMap { BounceCodeScanner.enhancedCodes(in: $0, limit: 1).first?.code }
        let inText = BounceCodeScanner.enhancedCodes(in: text, limit: 16)
        let notificationCodes = draft.notificationText.map { BounceCodeScanner.enhancedCodes(in: $0, limit: 16) } ?? []
        let phrase = BouncePhrase.match(text) ?? draft.notificationText.flatMap(BouncePhrase.match)

        // The remote server's own code (in its error text) is more precise than the
        // Status field, which the reporting MTA often maps to a summary such as
        // 4.4.7 "expired in queue"; when the text quotes several replies, the last
        // one is the final answer.
        var status: String?
        var source: BounceStatusSource?
        let fromNotification = inText.isEmpty ? notificationCodes : []
        var statusFromNotification = false
        if let found = inText.last(where: { !isGeneric($0.code) }) {
            (status, source) = (found.code, found.code == reported ? .reported : .diagnosticText)
        } else if let reported, !isGeneric(reported) {
            (status, source) = (reported, .reported)
        } else if let found = fromNotification.last(where: { !isGeneric($0.code) }) {
            // The diagnostic quotes no code (e.g. "X-Unix; 255"); the transcript may.
            (status, source) = (found.code, .diagnosticText)
            statusFromNotification = true
        } else if let found = inText.last {
            (status, source) = (found.code, .diagnosticText)
        } else if let reported {
            (status, source) = (reported, .reported)
        } else if let found = fromNotification.last {
            (status, source) = (found.code, .diagnosticText)
            statusFromNotification = true
        } else if let basic = draft.replyCode ?? BounceCodeScanner.replyCode(in: text), basic >= 400 {
            (status, source) = ("\(basic / 100).0.0", .replyCode)
        } else if let phrase {
            let temporary = draft.action == .delayed
            let code = temporary ? "4" + phrase.status.dropFirst() : phrase.status
            (status, source) = (code, .phrase)
        }

        // The basic code: the one written with the chosen enhanced code, else
        // the text's own; a non-SMTP diagnostic ("X-Unix; 77" is an exit status)
        // has none, and the transcript in the notification may say it instead.
        let smtpText = draft.diagnosticType.map { !$0.lowercased().hasPrefix("x-unix") } ?? true
        var replyCode = draft.replyCode
            ?? inText.last(where: { $0.code == status && $0.replyCode != nil })?.replyCode
            ?? (statusFromNotification ? fromNotification.last(where: { $0.code == status && $0.replyCode != nil })?.replyCode : nil)
            ?? inText.last(where: { $0.replyCode != nil })?.replyCode
        if replyCode == nil, smtpText { replyCode = BounceCodeScanner.replyCode(in: text) }
        if replyCode == nil, let notification = draft.notificationText, notification != draft.diagnostic {
            replyCode = notificationCodes.last(where: { $0.code == status && $0.replyCode != nil })?.replyCode
                ?? BounceCodeScanner.replyCode(in: notification)
        }

        var permanent: Bool?
        if let first = status?.first ?? replyCode.map({ Character(String($0 / 100)) }) {
            permanent = first == "5" ? true : first == "4" ? false : nil
        } else if let action = draft.action {
            permanent = action == .failed ? true : action == .delayed ? false : nil
        }

        // A precise code ("5.1.1") says more than any phrase; a broad one
        // ("5.7.1": spam, blocklist or relay?) says less than the server's words.
        let delivered = draft.action == .delivered || draft.action == .relayed || draft.action == .expanded
            || status?.first == "2"
        let statusWords = status.flatMap(BounceStatusWords.words(for:))
        let precise = status.map(BounceStatusWords.isPrecise) ?? false
        let reason = draft.reasonOverride
            ?? (delivered ? fallbackReason(permanent: nil, action: draft.action ?? .delivered) : nil)
            ?? (precise ? statusWords : nil)
            ?? phrase?.reason
            ?? statusWords
            ?? fallbackReason(permanent: permanent, action: draft.action)
        return BounceRecipient(
            address: draft.address, originalAddress: draft.originalAddress, status: status, statusSource: source,
            reportedStatus: reported,
            replyCode: replyCode, action: draft.action, diagnosticCode: diagnostic, remoteMTA: draft.remoteMTA,
            permanent: permanent, reason: reason)
    }

    /// X.0.0 says only "failed" or "delayed".
    static func isGeneric(_ code: String) -> Bool { code.hasSuffix(".0.0") }

    static func fallbackReason(permanent: Bool?, action: BounceAction?) -> String {
        switch (action, permanent) {
        case (.delivered?, _): return "the message was delivered"
        case (.relayed?, _): return "the message was relayed to a system that sends no reports"
        case (.expanded?, _): return "the message was delivered to a list or alias"
        case (.delayed?, _), (_, false?): return "a temporary failure; delivery may still succeed"
        case (_, true?): return "a permanent failure the server did not explain"
        default: return "the bounce does not say why"
        }
    }

    /// Collapses runs of whitespace (line breaks included) to single spaces, bounded.
    static func condensed(_ text: String) -> String {
        var out = ""
        var pendingSpace = false
        var count = 0
        for scalar in text.unicodeScalars {
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.unicodeScalars.append(" "); pendingSpace = false }
            out.unicodeScalars.append(scalar)
            count += 1
            if count >= 4_000 { break }
        }
        return out
    }
}
