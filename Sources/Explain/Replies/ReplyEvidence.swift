/// Everything known about one reply, and the decisions drawn from it: which
/// family, which causes, what it means, what to do. A pure value; the
/// `Explainer` only assembles the result.
struct ReplyEvidence {
    /// Where the family came from; it decides which causes and advice apply.
    enum Source { case rule, phrase, code }

    /// Codes whose meaning is tied to one step (login, TLS, greeting) so
    /// firmly that they decide the family whatever the enhanced code says.
    static let decisiveBasicCodes: Set<Int> = [432, 454, 521, 523, 530, 534, 535, 538]

    let reply: ParsedReply
    /// The catalogue entry for a standard basic code.
    let known: ReplyCodeInfo?
    /// `known`, or a description built from the digits of a non-standard code.
    let basic: ReplyCodeInfo?
    let enhanced: EnhancedStatusInfo?
    /// The first known text that matches.
    let rule: ReplyPattern?
    /// Every phrase pattern that matches.
    let hits: [ReplyPattern]
    let provider: String?
    let statusClass: Int
    /// 2xx or 3xx: nothing to fix.
    let informational: Bool
    let decisive: Bool
    /// The enhanced code says more than the basic code (not a catch-all X.Y.0,
    /// except X.7.0 which still says "policy"); success replies read better
    /// from the basic code ("235 2.7.0").
    let enhancedIsSpecific: Bool

    init(_ reply: ParsedReply) {
        self.reply = reply
        let lower = ReplyBytes.lowered(Array((reply.lines.joined(separator: " ") + " " + reply.text).utf8))
        known = reply.code.flatMap(ReplyCatalogue.basic)
        basic = reply.code.map(ReplyCatalogue.describeBasic)
        enhanced = reply.enhanced.flatMap(ReplyCatalogue.enhanced)
        let detected = reply.provider
        rule = ReplyPatterns.specific.first { $0.matches(reply, lowercased: lower, provider: detected) }
        provider = rule?.provider ?? detected
        let provider = provider
        hits = ReplyPatterns.phrases.filter { $0.matches(reply, lowercased: lower, provider: provider) }
        statusClass = reply.code.map { $0 / 100 } ?? reply.enhanced?.statusClass ?? 0
        informational = statusClass == 2 || statusClass == 3
        decisive = reply.code.map(Self.decisiveBasicCodes.contains) ?? false
        let (known, informational, decisive) = (known, informational, decisive)
        enhancedIsSpecific = enhanced.map {
            known == nil || !informational && ($0.detail != 0 || $0.subject == 7 && !decisive)
        } ?? false
    }

    // MARK: - Family

    /// The family the codes alone point at.
    var codeFamily: ReplyFamily {
        if informational { return .none }
        if decisive, let known { return known.family }
        if let enhanced, enhancedIsSpecific { return enhanced.family(forClass: statusClass) }
        // A provider's own network detail (5.4.312, 5.4.316) is about reaching a server.
        if enhanced == nil, reply.enhanced?.subject == 4 { return .refused }
        if let basic { return basic.family }
        if let enhanced { return enhanced.family(forClass: statusClass) }
        if let subject = reply.enhanced?.subject { return subject == 4 ? .refused : .spam }
        return .none
    }

    /// The first decisive phrase, if any.
    var strongHit: ReplyPattern? { hits.first { $0.strong && $0.family != nil } }

    /// A known text decides, then decisive wording, then the codes.
    var family: (family: ReplyFamily, source: Source) {
        if informational { return (.none, .code) }
        if let ruleFamily = rule?.family { return (ruleFamily, .rule) }
        if let hitFamily = strongHit?.family { return (hitFamily, .phrase) }
        return (codeFamily, .code)
    }

    var temporary: Bool { rule?.temporary ?? (statusClass == 4) }

    // MARK: - Causes

    /// The rule's causes, then the wording's, then the codes' (when the codes
    /// agree with the family chosen).
    func causes(family: ReplyFamily, source: Source) -> [String] {
        guard !informational else { return [] }
        var causes = rule?.causes ?? []
        // Wording adds causes of the same family; with a known text only
        // decisive wording does.
        for hit in hits where hit.family == nil || hit.family == family {
            if rule == nil || hit.strong { causes += hit.causes }
        }
        if rule == nil, source == .code || family == codeFamily {
            // A decisive basic code's causes come first and are enough.
            if let known, decisive { causes += known.causes }
            if let enhanced, enhancedIsSpecific || known == nil, !decisive || (known?.causes.isEmpty ?? true) {
                causes += enhanced.causes
            }
            if let known, !decisive, enhanced == nil || !enhancedIsSpecific { causes += known.causes }
        }
        if reply.stage == .connect, let code = reply.code, [554, 521].contains(code) { causes.append("service-refused") }
        return Self.unique(causes)
    }

    // MARK: - Words

    func meaning(source: Source) -> String {
        var sentences: [String] = []
        if let meaning = rule?.meaning {
            sentences.append(meaning)
        } else {
            sentences.append(codeMeaning)
            if source == .phrase, let strongHit { sentences.append("Its wording points at \(strongHit.title).") }
        }
        if !informational {
            sentences.append(temporary
                ? "It is a temporary refusal: the sending server should retry on its own, and a later attempt may work."
                : "It is a permanent refusal: sending the same message the same way again will fail again.")
        }
        return sentences.joined(separator: " ")
    }

    private var codeMeaning: String {
        if let enhanced, enhancedIsSpecific { return enhanced.meaning }
        if let code = reply.enhanced, enhanced == nil, let subject = ReplyCatalogue.subject(code.subject) {
            // A provider's own detail code (5.7.606, 5.4.312): the registry knows only its subject.
            let outcome = code.statusClass == 4 ? "temporary" : code.statusClass == 2 ? "successful" : "permanent"
            let lead = basic?.meaning ?? "The server reports a \(outcome) result."
            return lead + " The enhanced code \(code) is the server's own; its middle digit means \(subject.title.lowercased()): \(Self.lowerFirst(subject.meaning))"
        }
        if let basic { return basic.meaning }
        if let enhanced { return enhanced.meaning }
        return "The reply carries no code that smtp-doctor recognises."
    }

    var title: String {
        let label: String
        if let rule { label = rule.title }
        else if let enhanced, enhancedIsSpecific { label = enhanced.title }
        else if let basic { label = basic.title }
        else if let enhanced { label = enhanced.title }
        else if let subject = reply.enhanced.flatMap({ ReplyCatalogue.subject($0.subject) }) { label = subject.title }
        else { label = "Unrecognised reply" }
        var codes: [String] = []
        if let code = reply.code { codes.append(String(code)) }
        if let code = reply.enhanced { codes.append(code.description) }
        var title = (codes + [label]).joined(separator: " ")
        if let stage = reply.stage { title += " (\(stage.displayName))" }
        return title
    }

    /// The known text's advice, advice for each cause, and the catalogue's
    /// advice for the codes when they decided.
    func advice(causes: [String], source: Source, limit: Int) -> [String] {
        var advice = rule?.advice ?? []
        if source != .code || rule != nil {
            // A known text's own advice already covers its own causes.
            let covered = (rule?.advice.isEmpty ?? true) ? Set<String>() : Set(rule?.causes ?? [])
            advice += causes.filter { !covered.contains($0) }.compactMap(ReplyCauseAdvice.advice(for:))
        }
        if !informational, source == .code || advice.isEmpty {
            advice += codeAdvice
            advice += causes.compactMap(ReplyCauseAdvice.advice(for:))
        }
        return Array(Self.unique(advice).prefix(limit))
    }

    private var codeAdvice: [String] {
        var sender: [String] = []
        var admin: [String] = []
        if let enhanced, enhancedIsSpecific {
            sender += enhanced.senderAdvice
            admin += enhanced.adminAdvice
        }
        if let known, sender.isEmpty || !enhancedIsSpecific {
            sender += known.senderAdvice
            if admin.isEmpty { admin += known.adminAdvice }
        }
        return sender + admin.map { "For the mail server's administrator: " + Self.lowerFirst($0) }
    }

    // MARK: - Helpers

    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    static func lowerFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        // Keep acronyms and names ("DNS", "SMTP") as they are.
        if text.count > 1, text.dropFirst().first?.isUppercase == true { return text }
        return first.lowercased() + text.dropFirst()
    }
}
