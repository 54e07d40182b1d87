import Inet

/// Turns a message report's results into findings: DKIM, the DMARC record,
/// and DMARC alignment.
struct MessageCheckFindings {
    let report: MessageReport
    let fromFieldCount: Int
    private(set) var list: [MessageFinding] = []

    init(report: MessageReport, fromFieldCount: Int) {
        self.report = report
        self.fromFieldCount = fromFieldCount
    }

    mutating func addAll() {
        addDKIM()
        addDMARC()
        addAlignment()
    }

    private mutating func addDKIM() {
        if report.dkim.isEmpty {
            list.append(MessageFinding(
                cause: .dkimSignatureMissing, severity: .warning, summary: "The message carries no DKIM signature.",
                evidence: ["no DKIM-Signature field in the header",
                           "Gmail and Yahoo require DKIM of bulk senders; DMARC then rests on SPF alone, which forwarding breaks"]))
        }
        for verification in report.dkim {
            guard let failure = verification.failure else { continue }
            let which = "DKIM signature \(verification.position) (d=\(SafeShown.text(verification.domain)), "
                + "s=\(SafeShown.text(verification.selector)))"
            let cause: MessageFinding.Cause
            switch failure {
            case .keyMissing: cause = .dkimKeyMissing
            case .keyInvalid, .keyRevoked: cause = .dkimKeyInvalid
            case .dnsFailure: cause = .dnsFailure
            case .messageTooLarge: continue
            case .bodyHashMismatch, .signatureMismatch, .expired, .syntax, .algorithmNotAcceptable, .keyTypeMismatch:
                cause = .dkimSignatureInvalid
            }
            list.append(MessageFinding(cause: cause, summary: "\(which) fails: \(failure.summary).",
                                       evidence: verification.evidence))
        }
    }

    private mutating func addDMARC() {
        guard let domain = report.fromDomain.map(SafeText.clean) else {
            if fromFieldCount > 0 {
                list.append(MessageFinding(
                    cause: .messageHeadersInvalid, summary: "The From field holds no address with a domain.",
                    evidence: ["DMARC is evaluated for the From domain; without one no receiver can apply it"]))
            }
            return
        }
        switch report.dmarc.map(Self.shown) {
        case .none:
            return
        case .missing(let checked):
            list.append(MessageFinding(
                cause: .dmarcMissing, summary: "\(domain) publishes no DMARC record.",
                evidence: ["no v=DMARC1 TXT record at \(checked.joined(separator: " or "))",
                           "Gmail and Yahoo require a DMARC record (p=none at least) of bulk senders"]))
        case .multiple(let name, let count):
            list.append(MessageFinding(
                cause: .dmarcInvalid, summary: "\(name) has \(count) DMARC records; receivers ignore them all (RFC 7489 6.6.3).",
                evidence: ["\(count) TXT records starting v=DMARC1 at \(name)"]))
        case .invalid(let name, let raw, let error):
            list.append(MessageFinding(
                cause: .dmarcInvalid, summary: "The DMARC record at \(name) is invalid: \(error).",
                evidence: ["\(name): \"\(SafeShown.text(raw, limit: 160))\""]))
        case .dnsFailure(let name, let reason):
            list.append(MessageFinding(
                cause: .dnsFailure, summary: "The DMARC lookup of \(name) failed: \(reason).",
                evidence: ["\(name): \(reason)"]))
        case .found(let record, let name, let fallback):
            let policy = fallback ? record.policy(forSubdomainThatExists: true) : record.policy
            if policy == .none {
                list.append(MessageFinding(
                    cause: .dmarcPolicyNone, severity: .warning,
                    summary: "The DMARC policy for \(domain) is none: monitoring only.",
                    evidence: ["\(name): \"\(SafeShown.text(record.raw, limit: 160))\""]))
            }
        }
    }

    /// The discovery with its names made safe to print (they come from the From field).
    private static func shown(_ discovery: DMARCDiscovery) -> DMARCDiscovery {
        switch discovery {
        case .missing(let checked): return .missing(checked: checked.map(SafeText.clean))
        case .multiple(let name, let count): return .multiple(name: SafeText.clean(name), count: count)
        case .invalid(let name, let raw, let error): return .invalid(name: SafeText.clean(name), raw: raw, error: error)
        case .dnsFailure(let name, let reason): return .dnsFailure(name: SafeText.clean(name), reason: SafeText.clean(reason))
        case .found(let record, let name, let fallback):
            return .found(record: record, name: SafeText.clean(name), organizationalFallback: fallback)
        }
    }

    /// RFC 7489 4.2: DMARC passes when a passing DKIM signature or SPF aligns with From.
    private mutating func addAlignment() {
        guard let fromDomain = report.fromDomain, !report.alignment.passesDMARC else { return }
        let domain = SafeText.clean(fromDomain)
        let alignment = report.alignment
        var evidence: [String] = []
        let passing = report.dkim.filter(\.passed).map(\.domain)
        if passing.isEmpty {
            evidence.append("DKIM: no signature passes")
        } else {
            evidence.append("DKIM: passing signatures are for \(passing.joined(separator: ", ")), "
                            + "none aligned with \(domain) (adkim=\(alignment.dkimMode.rawValue))")
        }
        let spf = alignment.spf
        switch (spf.result, spf.domain) {
        case (nil, _):
            evidence.append("SPF: result unknown")
        case (let result?, let envelope?):
            let aligned = DMARCAlignment.isAligned(envelope, fromDomain, mode: alignment.spfMode)
            evidence.append("SPF: \(result.rawValue) for \(SafeText.clean(envelope))"
                            + (aligned ? "" : ", not aligned with \(domain) (aspf=\(alignment.spfMode.rawValue))"))
        case (let result?, nil):
            evidence.append("SPF: \(result.rawValue), for an unknown MAIL FROM domain")
        }
        evidence.append(contentsOf: spf.evidence)
        let hasRecord: Bool
        if case .found = report.dmarc { hasRecord = true } else { hasRecord = false }
        list.append(MessageFinding(
            cause: .dmarcNotAligned, severity: hasRecord ? .error : .warning,
            summary: "Neither DKIM nor SPF passes for a domain aligned with From (\(domain)): DMARC fails.",
            evidence: evidence))
    }
}
