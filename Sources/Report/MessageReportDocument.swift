import Diagnosis
import Foundation
import MailAuth
import Probes

extension ReportDocument {
    /// The report of `check --message`: the saved message's DKIM signatures,
    /// its DMARC alignment and the headers the large providers require, in
    /// the same contract as a diagnosis (verdict, findings, steps, remediation).
    public init(message report: MessageReport, file: String, generatedAt: Date = Date()) {
        tool = Tool(name: "smtp-doctor", version: Self.toolVersion)
        self.generatedAt = ISO8601DateFormatter().string(from: generatedAt)
        symptom = "message"
        target = TargetEntry(host: SafeText.clean(file), port: 0, tls: "none", controlPort: 0, family: "any", timeoutSeconds: 0,
                             domain: report.fromDomain)
        findings = report.findings.map {
            FindingEntry(cause: $0.cause.rawValue, severity: $0.severity.rawValue, summary: SafeText.clean($0.summary),
                         evidence: $0.evidence.map(SafeText.clean))
        }
        let worst = report.findings.first { $0.severity == .error } ?? report.findings.first
        if let worst {
            verdict = Verdict(cause: worst.cause.rawValue, summary: SafeText.clean(worst.summary))
        } else {
            verdict = Verdict(cause: Cause.healthy.rawValue,
                              summary: "Every DKIM signature verifies, the From domain passes DMARC alignment, and the required headers are present.")
        }
        func step(_ id: String, _ hypothesis: String, _ causes: Set<MessageFinding.Cause>, _ evidence: [String]) -> StepEntry {
            let hit = report.findings.contains { causes.contains($0.cause) }
            return StepEntry(id: id, hypothesis: hypothesis, probe: "message", outcome: hit ? StepOutcome.confirmed.rawValue : StepOutcome.ruledOut.rawValue,
                             evidence: evidence.map(SafeText.clean), durationMs: 0)
        }
        var dkimEvidence = report.dkim.flatMap(\.evidence)
        if report.dkim.isEmpty { dkimEvidence = ["no DKIM-Signature header"] }
        var alignment = report.alignment.spf.evidence
        if let from = report.fromDomain { alignment.insert("From domain: \(from)", at: 0) }
        alignment.append(report.alignment.dkimAligned ? "DKIM aligned: " + report.alignment.dkimAlignedDomains.joined(separator: ", ")
                                                      : "no passing DKIM signature is aligned with the From domain")
        alignment.append(report.alignment.spfAligned ? "SPF aligned with the From domain" : "SPF not aligned with the From domain")
        steps = [
            step("dkim-signatures", "A DKIM signature of the message does not verify",
                 [.dkimSignatureInvalid, .dkimSignatureMissing, .dkimKeyMissing, .dkimKeyInvalid], dkimEvidence),
            step("dmarc-alignment", "The message fails DMARC for its From domain",
                 [.dmarcNotAligned, .dmarcMissing, .dmarcInvalid, .dmarcPolicyNone, .dnsFailure], alignment),
            step("headers", "Headers the large providers require are missing",
                 [.messageHeadersInvalid, .oneClickUnsubscribeMissing, .messageUnreadable], Self.headerLines(report)),
        ]
        remediation = report.findings.flatMap { Self.advice(for: $0.cause, fromDomain: report.fromDomain) }.uniquedLines()
        transcript = []
        spf = nil
        dnsLookups = nil
    }

    static func headerLines(_ report: MessageReport) -> [String] {
        var lines = report.notes
        if let h = report.headers {
            lines.append("From: \(h.fromCount), Message-ID: \(h.messageIDCount), Date: \(h.dateCount) (each must appear once)")
            if let reason = h.bulkReason {
                lines.append("bulk mail (\(reason)): List-Unsubscribe " + (h.listUnsubscribe.map { "\"\($0.prefix(200))\"" } ?? "missing")
                             + ", List-Unsubscribe-Post " + (h.listUnsubscribePost.map { "\"\($0.prefix(100))\"" } ?? "missing")
                             + (h.unsubscribeSigned ? ", signed" : ", not covered by a DKIM signature"))
            } else {
                lines.append("not bulk mail (no List-Unsubscribe, no Precedence: bulk or list): one-click unsubscribe not required")
            }
        }
        return lines
    }

    static func advice(for cause: MessageFinding.Cause, fromDomain: String?) -> [String] {
        let domain = fromDomain ?? "your domain"
        switch cause {
        case .dkimSignatureInvalid:
            return ["A signature that fails after sending usually means something changed the message on the way (a footer, a rewritten header, a mailing list): sign after the last change, or use relaxed canonicalisation (c=relaxed/relaxed).",
                    "If the body hash matches but the signature does not, the public key in DNS is not the one the signer uses: publish the signer's current key."]
        case .dkimSignatureMissing:
            return ["Turn on DKIM signing for \(domain) in the service that sends the mail, and publish its key at <selector>._domainkey.\(domain)."]
        case .dkimKeyMissing:
            return ["Publish the public key of the selector in the signature (s=) at <selector>._domainkey.<d=>, exactly as the signing service gives it."]
        case .dkimKeyInvalid:
            return ["Republish the DKIM key record: v=DKIM1; k=rsa; p=<base64 key of at least 1024 bits, 2048 recommended>, one TXT record, no spaces inside p=."]
        case .dmarcMissing:
            return ["Publish a DMARC record: _dmarc.\(domain). TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@\(domain)\""]
        case .dmarcInvalid:
            return ["Fix the DMARC record at _dmarc.\(domain): v=DMARC1 first, tags separated by semicolons, p=none, quarantine or reject."]
        case .dmarcPolicyNone:
            return ["Once reports show all your mail aligned, move the DMARC policy of \(domain) to p=quarantine, then p=reject."]
        case .dmarcNotAligned:
            return ["Make the DKIM signature's d= the From domain \(domain) (or a subdomain of it, with relaxed alignment), or send with a bounce address (MAIL FROM) at \(domain) that SPF authorises."]
        case .messageHeadersInvalid:
            return ["Give every message exactly one From, one Message-ID and one Date header: Gmail and others reject messages without them."]
        case .oneClickUnsubscribeMissing:
            return ["Bulk mail needs List-Unsubscribe: <https://...> and List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058), both covered by the DKIM signature (h= lists them)."]
        case .messageUnreadable:
            return ["Save the message in its raw form (\"Show original\" / \"View source\", as .eml) and check that file."]
        case .dnsFailure:
            return ["The DNS server did not answer some lookups; check it (--dns-server) and run again."]
        }
    }
}

extension Array where Element == String {
    func uniquedLines() -> [String] {
        var seen = Set<String>()
        return filter { seen.insert($0).inserted }
    }
}
