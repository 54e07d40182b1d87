import Inet

/// Explains pasted SMTP errors: every reply found gets an `Explanation`; text
/// without any reply code still gets one, from its wording if possible.
public enum Explainer {
    static let maxAdvice = 6

    public static func explain(_ text: String) -> [Explanation] {
        let parsed = ReplyLineParser.parseWithStatus(text)
        var explanations = parsed.replies.map(explain(reply:))
        if explanations.isEmpty { explanations = [explainWithoutCode(text)] }
        if parsed.truncated {
            for index in explanations.indices {
                explanations[index].notes.append("Only the first \(ReplyLineParser.maxInputBytes / 1024) KiB of the input were read.")
            }
        }
        return explanations
    }

    public static func explain(reply: ParsedReply) -> Explanation {
        let evidence = ReplyEvidence(reply)
        let (family, source) = evidence.family
        let causes = evidence.causes(family: family, source: source)
        var explanation = Explanation(
            family: family, title: evidence.title, meaning: evidence.meaning(source: source), temporary: evidence.temporary,
            codes: .init(reply: reply.code, enhanced: reply.enhanced?.description),
            causes: causes, advice: evidence.advice(causes: causes, source: source, limit: maxAdvice),
            entities: reply.entities, provider: evidence.provider, stage: reply.stage, text: reply.text, notes: reply.notes)
        explanation.nextChecks = nextChecks(family: family, causes: causes, reply: reply, provider: evidence.provider)
        return sanitized(explanation)
    }

    // MARK: - Without a reply code

    static func explainWithoutCode(_ text: String) -> Explanation {
        let input = ReplyInput.prepare(text)
        var joined: [UInt8] = []
        for line in input.lines {
            if !joined.isEmpty { joined.append(0x20) }
            joined.append(contentsOf: line)
        }
        let lower = ReplyBytes.lowered(joined)
        let entities = ReplyEntityExtractor.extract(from: joined, cleanText: joined)
        let provider = ReplyProviders.detect(hosts: entities.hosts, lowercasedText: lower)
        let probe = ParsedReply(text: ReplyBytes.string(joined.prefix(ReplyLineParser.maxTextBytes)), entities: entities, provider: provider)
        let hits = ReplyPatterns.phrases.filter { $0.matches(probe, lowercased: lower, provider: provider) }
        let lead = hits.first { $0.family != nil }
        let causes = ReplyEvidence.unique(hits.filter { $0.family == nil || $0.family == lead?.family }.flatMap(\.causes))
        var explanation: Explanation
        if let lead, let family = lead.family {
            explanation = Explanation(
                family: family, title: "No reply code: \(lead.title)",
                meaning: "No SMTP reply code was found in the text. Going by its wording, it describes \(lead.title).",
                temporary: lead.temporary ?? false, codes: .init(), causes: causes,
                advice: Array(ReplyEvidence.unique(causes.compactMap(ReplyCauseAdvice.advice(for:))).prefix(maxAdvice)),
                entities: entities, provider: provider, text: probe.text)
        } else {
            explanation = Explanation(
                family: .none, title: "No SMTP reply code found",
                meaning: "No SMTP reply code was found in the text, and its wording matches nothing known. A server's reply starts with a three-digit code such as 550 or 421; paste that line, or the whole bounce message.",
                temporary: false, codes: .init(), entities: entities, provider: provider, text: probe.text)
        }
        if input.truncated { explanation.notes.append("Only the first \(ReplyLineParser.maxInputBytes / 1024) KiB of the input were read.") }
        explanation.nextChecks = nextChecks(family: explanation.family, causes: causes, reply: probe, provider: provider)
        return sanitized(explanation)
    }

    // MARK: - Next checks

    private static let submissionHosts: [String: String] = [
        ReplyProviders.google: "smtp.gmail.com", ReplyProviders.microsoft: "smtp.office365.com",
        ReplyProviders.sendGrid: "smtp.sendgrid.net", ReplyProviders.yahoo: "smtp.mail.yahoo.com",
        ReplyProviders.mailgun: "smtp.mailgun.org", ReplyProviders.postmark: "smtp.postmarkapp.com",
        ReplyProviders.zoho: "smtp.zoho.com", ReplyProviders.iCloud: "smtp.mail.me.com",
    ]

    static func nextChecks(family: ReplyFamily, causes: [String], reply: ParsedReply, provider: String?) -> [NextCheck] {
        let entities = reply.entities
        let host = entities.hosts.first ?? entities.remoteAddresses.first
        switch family {
        case .none:
            return []
        case .spam:
            // Nothing on the sending side to test for a missing mailbox, a full
            // disk or a malformed message.
            if causes.isEmpty, let subject = reply.enhanced?.subject, subject != 7, subject != 0 { return [] }
            let domain = entities.senderDomain
            return [NextCheck(
                symptom: .spam, domain: domain, sendingIP: entities.sendingIP, dnsblZones: Array(entities.zones.prefix(5)),
                purpose: "Checks the sending domain's SPF, DKIM and DMARC, the sending IP's reverse DNS, and the blocklists.",
                options: ["--domain", "--sending-ip"])]
        case .refused:
            return [NextCheck(symptom: .refused, host: host,
                              purpose: "Checks that the host resolves, which SMTP ports answer, and the TLS mode of each.",
                              options: ["--host"])]
        case .timeout:
            return [NextCheck(symptom: .timeout, host: host,
                              purpose: "Checks where the conversation stalls: DNS, the TCP connection, the greeting or TLS.",
                              options: ["--host"])]
        case .auth:
            let authHost = provider.flatMap { submissionHosts[$0] } ?? host
            let user = provider == ReplyProviders.sendGrid ? "apikey" : nil
            return [NextCheck(symptom: .auth, host: authHost, user: user,
                              purpose: "Checks whether login is offered before or only after STARTTLS, which mechanisms, and tries the login over TLS.",
                              options: ["--host", "--user"])]
        }
    }

    // MARK: - Helpers

    /// Last line of defence: no control character leaves the module.
    private static func sanitized(_ e: Explanation) -> Explanation {
        var copy = e
        copy.title = SafeText.clean(e.title)
        copy.meaning = SafeText.clean(e.meaning)
        copy.text = SafeText.clean(e.text)
        copy.advice = e.advice.map(SafeText.clean)
        copy.notes = e.notes.map(SafeText.clean)
        copy.provider = e.provider.map(SafeText.clean)
        return copy
    }
}
