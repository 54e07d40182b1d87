import MailAuth
import Probes

/// The SPF judges: the record tree (missing, several, broken, over the
/// limits) and check_host() for the sending address, with the record to
/// publish written out. The record arithmetic (merging, inserting a term)
/// lives here too.
extension SpamFamily {
    static func judgeSPFRecord(_ facts: Facts) -> Judgement {
        guard let spf = facts.spf else { return notAsked("give the sender's domain with --domain") }
        let analysis = spf.analysis
        var evidence = analysis.tree.renderedLines()
        evidence.append("\(analysis.lookups) DNS-querying term\(analysis.lookups == 1 ? "" : "s") in the whole tree (the limit is 10), \(analysis.voidLookups) void lookup\(analysis.voidLookups == 1 ? "" : "s") (the limit is 2)")
        guard let problem = analysis.problem else {
            return Judgement(.ruledOut, evidence: evidence + ["One valid SPF record, within the lookup limits."])
        }
        if case .dnsFailure(let name, let reason) = problem {
            return Judgement(.inconclusive, evidence: evidence + ["SPF temperror: the lookup of \(name) failed (\(reason)); receivers would defer or ignore SPF."])
        }
        return spfProblemJudgement(problem, spf: spf, evidence: evidence)
    }

    static func judgeSPFAuthorized(_ facts: Facts) -> Judgement {
        guard let spf = facts.spf else { return notAsked("give the sender's domain with --domain") }
        guard let ip = spf.sendingIP, let check = spf.authorization else {
            return notAsked("give the sending server's address with --sending-ip to test check_host()")
        }
        var evidence = ["check_host(\(ip), \(spf.domain), \(spf.sender)) = \(check.result.rawValue)"]
        if let matched = check.matched { evidence.append("decided by \(matched)") }
        evidence += check.steps
        if let explanation = check.explanation { evidence.append("explanation published by the domain: \"\(SafeText.clean(explanation))\"") }
        switch check.result {
        case .pass:
            return Judgement(.ruledOut, evidence: evidence)
        case .none:
            return Judgement(.skipped, evidence: evidence + ["No SPF record to evaluate (see the step before)."])
        case .temperror:
            return Judgement(.inconclusive, evidence: evidence + ["A DNS failure stopped the evaluation: receivers would try again later or ignore SPF."])
        case .permerror:
            // The same fault the whole-tree analysis reported (counts may differ:
            // check_host stops at the first lookup past the limit) is said once.
            if let problem = check.problem, !sameKind(problem, spf.analysis.problem) {
                return spfProblemJudgement(problem, spf: spf, evidence: evidence)
            }
            return Judgement(.inconclusive, evidence: evidence + ["The record itself is broken (see the step before): nothing is authorised until it is fixed."])
        case .fail, .softfail, .neutral:
            let record = spf.analysis.tree.record
            let fix = record.map { suggestRecord($0, adding: mechanism(for: ip)) } ?? "v=spf1 \(mechanism(for: ip)) -all"
            let what: String
            switch check.result {
            case .fail: what = "fail: receivers are told to reject mail from \(ip)"
            case .softfail: what = "softfail: receivers treat mail from \(ip) as suspect (usually spam)"
            default: what = "neutral: the record makes no statement about \(ip), which DMARC counts as a failure"
            }
            return SMTPNodes.confirmed(.spfIPNotAuthorized, severity: check.result == .neutral ? .warning : .error, evidence: evidence,
                summary: "SPF of \(spf.domain) does not authorise \(ip): \(what).",
                remediation: [
                    "If \(ip) really sends mail for \(spf.domain), add it to the record. Publish this TXT record at \(spf.domain) in place of the current one:",
                    "    \(spf.domain). TXT \"\(fix)\"",
                    "If the mail goes out through a provider (Google, Microsoft 365, SendGrid...), add the include: that provider documents instead of the address.",
                ], stop: false)
        }
    }

    static func spfProblemJudgement(_ problem: SPFProblem, spf: SPFCheck, evidence: [String]) -> Judgement {
        let domain = spf.domain
        let ipTerm = spf.sendingIP.map(mechanism(for:)) ?? "ip4:YOUR.SERVER.ADDRESS"
        switch problem {
        case .noRecord(let name):
            return SMTPNodes.confirmed(.spfMissing, evidence: evidence,
                summary: "\(name) publishes no SPF record, so no receiver can tell its servers from forgers.",
                remediation: [
                    "Publish one TXT record at \(name) listing every server and service that sends its mail, for example:",
                    "    \(name). TXT \"v=spf1 mx \(ipTerm) -all\"",
                    "Add the include: of each provider that sends for you (e.g. include:_spf.google.com). Start with ~all if you are unsure, then tighten to -all.",
                ], stop: false)
        case .multipleRecords(let name, let count):
            let records = spfRecords(at: name, in: spf.lookups)
            return SMTPNodes.confirmed(.spfMultipleRecords, evidence: evidence + records.map { "SPF record at \(name): \"\(SafeText.clean(String($0.prefix(300))))\"" },
                summary: "\(name) publishes \(count) SPF records; RFC 7208 makes that a permanent error, so SPF fails for every sender.",
                remediation: [
                    "Merge them into one TXT record (one v=spf1, the mechanisms of all, one all term at the end) and delete the others:",
                    "    \(name). TXT \"\(SafeText.clean(mergedSPF(records)))\"",
                    "Check the merged record's lookup count here afterwards. (Two teams adding their own record is the usual way this happens.)",
                ], stop: false)
        case .syntax(let name, let record, let error):
            // The caret sits under the term as printed (control characters print as \xNN, four columns).
            let shownPrefix = SafeText.clean(String(record.unicodeScalars.prefix(max(0, min(error.position, 400))).map(Character.init)))
            let caret = String(repeating: " ", count: shownPrefix.count) + "^"
            return SMTPNodes.confirmed(.spfSyntaxError, evidence: evidence + [
                    "record at \(name):", "    " + SafeText.clean(String(record.prefix(400))), "    " + caret,
                    "at character \(error.position + 1): \(SafeText.clean(error.term)): \(error.message)",
                ],
                summary: "The SPF record of \(name) has a syntax error at \"\(SafeText.clean(String(error.term.prefix(60))))\" (\(error.message)); receivers treat that as a permanent error.",
                remediation: [
                    "Correct or remove the term \"\(SafeText.clean(String(error.term.prefix(60))))\" in the TXT record at \(name), then check it again here.",
                    "Common slips: an address or prefix out of range (ip4:a.b.c.d/0-32), a space inside a term, ip4: with an IPv6 address, a missing colon.",
                ], stop: false)
        case .tooManyLookups(let count):
            return SMTPNodes.confirmed(.spfTooManyLookups, evidence: evidence,
                summary: "The SPF tree of \(domain) needs \(count) DNS lookups; RFC 7208 stops at 10 and returns a permanent error, so mail fails SPF at random depending on where the match is.",
                remediation: [
                    "Bring the lookups to 10 or fewer (the tree above shows which include costs what):",
                    "remove includes of services you no longer use; replace a: and mx: terms by the ip4:/ip6: ranges they stand for (these cost no lookup);",
                    "or move some senders to a subdomain with its own SPF record.",
                ], stop: false)
        case .tooManyVoidLookups(let count):
            return SMTPNodes.confirmed(.spfVoidLookups, evidence: evidence,
                summary: "The SPF tree of \(domain) has \(count) lookups that find nothing (the limit is 2): receivers return a permanent error.",
                remediation: [
                    "Remove the a:, mx: and include: terms whose names do not exist or have no records (marked \"void\" in the tree above).",
                ], stop: false)
        case .tooManyMXRecords(let name, let count):
            return SMTPNodes.confirmed(.spfSyntaxError, evidence: evidence,
                summary: "The SPF tree of \(domain) uses mx:\(name), which has \(count) MX records; RFC 7208 allows at most 10 for an mx term and returns a permanent error.",
                remediation: ["Replace mx:\(name) with the ip4:/ip6: ranges of its mail servers, or with an include: of a record that lists them."], stop: false)
        case .includeWithoutRecord(let name):
            return SMTPNodes.confirmed(.spfSyntaxError, evidence: evidence,
                summary: "The SPF tree of \(domain) includes \(name), which has no SPF record: a permanent error for every sender.",
                remediation: [
                    "Remove include:\(name) from the record, or correct the name to the one the provider documents.",
                ], stop: false)
        case .loop(let name):
            return SMTPNodes.confirmed(.spfSyntaxError, evidence: evidence,
                summary: "The SPF tree of \(domain) loops back through \(name): a permanent error.",
                remediation: ["Remove the include: or redirect= that leads back to \(name)."], stop: false)
        case .invalidDomain(let name):
            return SMTPNodes.confirmed(.spfSyntaxError, evidence: evidence,
                summary: "The SPF tree of \(domain) names an invalid domain (\(SafeText.clean(String(name.prefix(80))))).",
                remediation: ["Correct the domain name in the record (labels of 1 to 63 characters, no empty labels)."], stop: false)
        case .dnsFailure(let name, let reason):
            return Judgement(.inconclusive, evidence: evidence + ["SPF temperror: the lookup of \(name) failed (\(reason))."])
        }
    }

    static func sameKind(_ a: SPFProblem, _ b: SPFProblem?) -> Bool {
        guard let b else { return false }
        switch (a, b) {
        case (.noRecord, .noRecord), (.multipleRecords, .multipleRecords), (.syntax, .syntax),
             (.tooManyLookups, .tooManyLookups), (.tooManyVoidLookups, .tooManyVoidLookups),
             (.tooManyMXRecords, .tooManyMXRecords), (.includeWithoutRecord, .includeWithoutRecord),
             (.loop, .loop), (.invalidDomain, .invalidDomain), (.dnsFailure, .dnsFailure):
            return true
        default:
            return false
        }
    }

    /// The SPF records (TXT starting v=spf1) the lookups saw at `name`.
    static func spfRecords(at name: String, in lookups: [DNSLookup]) -> [String] {
        guard let lookup = lookups.first(where: { $0.type == .txt && $0.name.lowercased() == name.lowercased() }) else { return [] }
        return lookup.outcome.records.compactMap { record in
            guard case .txt(let strings) = record else { return nil }
            let text = strings.joined()
            let lower = text.lowercased()
            return lower == "v=spf1" || lower.hasPrefix("v=spf1 ") ? text : nil
        }
    }

    /// Several SPF records merged into one: every term once, modifiers kept
    /// once, and the strictest all term found last.
    static func mergedSPF(_ records: [String]) -> String {
        var terms: [String] = []
        var all: String?
        let strictness = ["-all": 3, "~all": 2, "?all": 1, "+all": 0, "all": 0]
        for record in records {
            for term in record.split(separator: " ").dropFirst().map({ String($0).lowercased() }) {
                if let rank = strictness[term] {
                    if all == nil || rank > strictness[all!]! { all = term }
                } else if !terms.contains(term) {
                    terms.append(term)
                }
            }
        }
        return (["v=spf1"] + terms + [all ?? "~all"]).joined(separator: " ")
    }

    static func mechanism(for ip: IPAddress) -> String {
        ip.family == .ipv4 ? "ip4:\(ip)" : "ip6:\(ip)"
    }

    /// The record with `term` added before its final all (or at the end).
    static func suggestRecord(_ record: String, adding term: String) -> String {
        var terms = record.split(separator: " ").map(String.init)
        guard !terms.isEmpty else { return "v=spf1 \(term) -all" }
        if let index = terms.lastIndex(where: { $0.lowercased().hasSuffix("all") && $0.count <= 4 }) {
            terms.insert(term, at: index)
        } else if let index = terms.firstIndex(where: { $0.lowercased().hasPrefix("redirect=") }) {
            terms.insert(term, at: index)
        } else {
            terms.append(term)
        }
        return terms.joined(separator: " ")
    }
}
