import Foundation
import Inet

/// Checks a saved message the way the large mailbox providers judge it:
/// DKIM signatures, the From domain's DMARC record and alignment, SPF, and
/// the header fields they require.
public enum MessageCheck {
    public static func run(message: [UInt8], dns: any MailDNS, spfIP: IPAddress? = nil,
                           now: Date = Date()) async -> MessageReport {
        guard message.count <= SavedMessage.maximumSize else {
            var report = MessageReport(size: message.count, examined: false)
            report.dkim = await DKIMVerifier.verify(message: message, dns: dns, now: now)
            report.findings = [MessageFinding(
                cause: .messageUnreadable,
                summary: "The file is too large to check (\(message.count) bytes; the limit is \(SavedMessage.maximumSize)).",
                evidence: ["no provider accepts a message this large; it was not examined"])]
            return report
        }
        let saved = SavedMessage(bytes: message)
        let fromFields = saved.fields(named: "From")
        let fromDomain = fromFields.first.flatMap { saved.value($0, limit: DMARCAuthorDomain.maximumLength) }
            .flatMap { DMARCAuthorDomain.extract(fromHeader: $0) }

        async let verifications = DKIMVerifier.verify(saved, dns: dns, now: now)
        async let discovery = discoverDMARC(fromDomain: fromDomain, dns: dns)
        async let spf = MessageSPF.find(message: saved, dns: dns, ip: spfIP)

        var report = MessageReport(size: message.count, examined: true)
        report.dkim = await verifications
        report.dkimSignatureFields = saved.fields(named: "DKIM-Signature").count
        report.fromDomain = fromDomain
        report.dmarc = await discovery
        report.alignment = alignment(fromDomain: fromDomain, dmarc: report.dmarc, dkim: report.dkim, spf: await spf)
        let headers = MessageHeaderCheck(message: saved, dkim: report.dkim)
        report.headers = headers
        report.notes = notes(saved, report: report)

        guard !saved.fields.isEmpty else {
            report.findings = [MessageFinding(
                cause: .messageUnreadable, summary: "The file is not an email message: it has no header fields.",
                evidence: report.notes + ["a message starts with header fields (\"Name: value\" lines) and a blank line"])]
            return report
        }
        var findings = MessageCheckFindings(report: report, fromFieldCount: fromFields.count)
        findings.addAll()
        report.findings = findings.list + headers.findings
        return report
    }

    private static func discoverDMARC(fromDomain: String?, dns: any MailDNS) async -> DMARCDiscovery? {
        guard let fromDomain else { return nil }
        return await DMARCLookup.discover(for: fromDomain, dns: dns)
    }

    /// RFC 7489 3.1 with the record's adkim=/aspf= (relaxed without a record).
    static func alignment(fromDomain: String?, dmarc: DMARCDiscovery?, dkim: [DKIMVerification],
                          spf: MessageSPF) -> MessageAlignment {
        var alignment = MessageAlignment(spf: spf)
        if case .found(let record, _, _) = dmarc {
            alignment.dkimMode = record.dkimAlignment
            alignment.spfMode = record.spfAlignment
        }
        guard let fromDomain else { return alignment }
        var aligned: [String] = []
        for verification in dkim where verification.passed
            && DMARCAlignment.isAligned(verification.domain, fromDomain, mode: alignment.dkimMode)
            && !aligned.contains(verification.domain) {
            aligned.append(verification.domain)
        }
        alignment.dkimAlignedDomains = aligned
        if spf.result == .pass, let domain = spf.domain {
            alignment.spfAligned = DMARCAlignment.isAligned(domain, fromDomain, mode: alignment.spfMode)
        }
        return alignment
    }

    private static func notes(_ message: SavedMessage, report: MessageReport) -> [String] {
        var notes: [String] = []
        if message.convertedLineEndings {
            notes.append("the file has bare LF line endings; they were read as CRLF, as mail travels")
        }
        if !message.hasSeparator {
            notes.append("no blank line ends the header section: the message has no body")
        }
        if message.malformedLines > 0 {
            notes.append("\(message.malformedLines) header line(s) are neither a field nor a continuation; they were skipped")
        }
        if message.fieldsSkipped {
            notes.append("the header section exceeds \(SavedMessage.maximumFields) fields or "
                         + "\(SavedMessage.maximumHeaderBytes) bytes; the rest of it was not read")
        }
        if report.dkimSignatureFields > DKIMVerifier.maximumSignatures {
            notes.append("\(report.dkimSignatureFields) DKIM-Signature fields; only the first "
                         + "\(DKIMVerifier.maximumSignatures) were verified")
        }
        return notes
    }
}
