import Diagnosis
import Probes

/// Every DNS lookup of the run, by the step that made it: what was asked, of
/// which server, what came back and how long it took.
enum DNSRecordsView {
    /// The lookups of each step, in the order the facts hold them.
    static func sections(_ facts: Facts) -> [(String, [DNSLookup])] {
        var sections: [(String, [DNSLookup])] = []
        if let resolution = facts.resolution {
            if let literal = resolution.literal {
                sections.append(("Host \(literal): an address, nothing to look up", []))
            } else {
                sections.append(("Host resolution of \(resolution.host)", resolution.lookups))
            }
        }
        if let spf = facts.spf { sections.append(("SPF of \(spf.domain) (the whole include tree)", spf.lookups)) }
        if let dkim = facts.dkim { sections.append(("DKIM keys of \(dkim.domain)\(dkim.guessed ? " (common selectors tried)" : "")", dkim.lookups)) }
        if let dmarc = facts.dmarc { sections.append(("DMARC of \(dmarc.domain)", dmarc.lookups)) }
        if let mx = facts.mx { sections.append(("MX", mx.lookups)) }
        if let reverse = facts.reverseDNS { sections.append(("Reverse DNS", reverse.lookups)) }
        if let lists = facts.blocklists { sections.append(("Blocklists for \(lists.address)", lists.lookups)) }
        return sections
    }

    static func lines(_ state: DiagnosisState?, width: Int) -> [Line] {
        guard let state else { return [Line(" No diagnosis has run yet.", .dim)] }
        let sections = sections(state.facts)
        let all = sections.flatMap(\.1)
        guard !sections.isEmpty else {
            let why = state.phase == .finished ? "No DNS lookup was made in this run." : "No lookup has finished yet."
            return [Line(" " + why, .dim)]
        }
        let servers = Set(all.map(\.server)).sorted().map(SafeText.clean).joined(separator: ", ")
        var lines = ViewText.wrapped("\(all.count) lookup\(all.count == 1 ? "" : "s")" + (servers.isEmpty ? "" : ", asked of \(servers)") + ". Each line: type, name, time; the answer below it.",
                                     width: width, style: .dim)
        for (title, lookups) in sections {
            lines.append(.blank)
            lines += ViewText.wrapped(SafeText.clean(title) + (lookups.isEmpty ? "" : " - \(lookups.count) lookup\(lookups.count == 1 ? "" : "s")"), width: width, style: .bold)
            for lookup in lookups { lines += render(lookup, width: width) }
        }
        return lines
    }

    static func render(_ lookup: DNSLookup, width: Int) -> [Line] {
        let name = SafeText.clean(lookup.name)
        var lines = [Line([Span("  " + ViewText.column(lookup.type.rawValue, 5)), Span(name, .bold),
                           Span("  \(lookup.elapsedMs) ms", .dim)])]
        let answers: [String]
        let style: Style
        switch lookup.outcome {
        case .answer(let records, let cname):
            answers = (records.isEmpty ? ["an empty answer"] : records.map(\.description)) + (cname.map { ["(via CNAME \($0))"] } ?? [])
            style = .normal
        case .noData, .nxdomain:
            answers = [lookup.outcome.summary]
            style = .warn
        default:
            answers = [lookup.outcome.summary]
            style = .bad
        }
        for answer in answers {
            lines += ViewText.wrapped(SafeText.clean(answer), width: width, first: "       -> ", rest: "          ", style: style)
        }
        return lines
    }
}
