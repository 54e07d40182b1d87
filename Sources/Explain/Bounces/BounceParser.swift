import Foundation
import Inet

/// Reads a bounce (non-delivery report) and says, per recipient, what failed
/// and why. Standard RFC 3464 reports are read first; the plain-text formats
/// of common MTAs and providers are recognised after.
public enum BounceParser {
    /// Reads at most `limits.maxInputBytes` (+1, to tell) from a file, then parses it.
    /// An unreadable or too large file gives a report whose `problems` say so.
    public static func parse(fileAt path: String, limits: MIMELimits = .standard) -> BounceReport {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return BounceReport(format: "unknown", problems: [SafeText.clean("The file \(path) could not be opened.")])
        }
        defer { try? handle.close() }
        do {
            let data = try handle.read(upToCount: limits.maxInputBytes + 1) ?? Data()
            if data.count > limits.maxInputBytes {
                return BounceReport(format: "unknown", problems: [limits.tooLargeProblem("more than \(limits.maxInputBytes) bytes")])
            }
            return parse(data, limits: limits)
        } catch {
            return BounceReport(format: "unknown", problems: [SafeText.clean("The file \(path) could not be read: \(error.localizedDescription)")])
        }
    }

    public static func parse(_ data: Data, limits: MIMELimits = .standard) -> BounceReport {
        if data.count > limits.maxInputBytes {
            return BounceReport(format: "unknown", problems: [limits.tooLargeProblem("\(data.count) bytes")])
        }
        return parse([UInt8](data), limits: limits)
    }

    public static func parse(_ bytes: [UInt8], limits: MIMELimits = .standard) -> BounceReport {
        if bytes.count > limits.maxInputBytes {
            return BounceReport(format: "unknown", problems: [limits.tooLargeProblem("\(bytes.count) bytes")])
        }
        guard let messages = BounceMbox.split(bytes) else {
            return parse(MIMEMessage(bytes: bytes, limits: limits), limits: limits)
        }
        // An mbox of several bounces: one report with every recipient.
        var merged: BounceReport?
        for range in messages {
            let report = parse(MIMEMessage(bytes: Array(bytes[range]), limits: limits), limits: limits)
            guard var combined = merged else { merged = report; continue }
            let room = max(0, limits.maxRecipients - combined.recipients.count)
            if report.recipients.count > room {
                combined.problems.append("More than \(limits.maxRecipients) recipients: the rest were not read.")
            }
            combined.recipients += report.recipients.prefix(room)
            for problem in report.problems where !combined.problems.contains(problem) { combined.problems.append(problem) }
            merged = combined
        }
        var report = merged ?? BounceReport(format: "unknown")
        report.problems.insert("The file holds \(messages.count) messages (mbox): their recipients are listed together.", at: 0)
        return report
    }

    public static func parse(_ message: MIMEMessage, limits: MIMELimits = .standard) -> BounceReport {
        let context = BounceContext(message: message, limits: limits)
        let format = BounceFormat.detect(context)
        var notes: [String] = []
        var drafts = BounceRecognizers.drafts(format: format, context: context, notes: &notes)
        var problems = message.problems + notes
        if drafts.count > limits.maxRecipients {
            drafts = Array(drafts.prefix(limits.maxRecipients))
            problems.append("More than \(limits.maxRecipients) recipients: the rest were not read.")
        }
        let recipients = drafts.map(BounceClassifier.recipient)
        switch format {
        case .feedbackReport:
            problems.append("This is a feedback (abuse) report, not a bounce: a recipient's provider says the message was reported as spam (RFC 5965).")
        case _ where recipients.isEmpty && notes.isEmpty:
            problems.append("No failed recipient was found: this does not look like a bounce.")
        default:
            break
        }

        let original = context.originalHeader ?? (format.name == "amazon-ses" ? BounceAmazonSES.originalHeader(context) : nil)
        let reportingMTA = context.reports.lazy.compactMap { report in
            report.messageFields["Reporting-MTA"] ?? report.recipientGroups.lazy.compactMap { $0["Reporting-MTA"] }.first
        }.first.map(DSNField.typedText)
        let report = BounceReport(
            format: format.name,
            recipients: recipients,
            originalMessageID: original?["Message-ID"],
            originalSubject: original?.decoded("Subject"),
            originalFrom: original?.decoded("From"),
            originalTo: original?.decoded("To"),
            reportingMTA: reportingMTA,
            problems: problems)
        return report.cleaned()
    }
}

extension BounceReport {
    /// Every string passed through `SafeText.clean`, so nothing from the
    /// message can reach a terminal as a control sequence.
    func cleaned() -> BounceReport {
        func c(_ s: String?) -> String? { s.map(SafeText.clean) }
        var copy = self
        copy.format = SafeText.clean(format)
        copy.originalMessageID = c(originalMessageID)
        copy.originalSubject = c(originalSubject)
        copy.originalFrom = c(originalFrom)
        copy.originalTo = c(originalTo)
        copy.reportingMTA = c(reportingMTA)
        copy.problems = problems.map(SafeText.clean)
        copy.recipients = recipients.map { r in
            var r = r
            r.address = SafeText.clean(r.address)
            r.originalAddress = c(r.originalAddress)
            r.status = c(r.status)
            r.reportedStatus = c(r.reportedStatus)
            r.diagnosticCode = c(r.diagnosticCode)
            r.remoteMTA = c(r.remoteMTA)
            r.reason = SafeText.clean(r.reason)
            return r
        }
        return copy
    }
}
