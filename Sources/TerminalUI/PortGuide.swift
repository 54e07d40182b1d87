import Diagnosis
import Probes

/// The four SMTP ports side by side: what each is for, how TLS starts, whether
/// it wants a login, how often networks block it; and what this run found.
enum PortGuide {
    struct Entry {
        var port: Int
        var purpose: String
        var tls: String
        var auth: String
        var blocked: String
    }

    static let entries: [Entry] = [
        Entry(port: 587, purpose: "Mail programs hand their mail to their provider here (submission, RFC 6409). The usual choice.",
              tls: "Starts in plain text; the client switches to TLS with STARTTLS before logging in.",
              auth: "Yes: the provider wants your user name and password (or an app password).",
              blocked: "Seldom. Some guest and hotel networks do."),
        Entry(port: 465, purpose: "Submission as well, with TLS from the first byte (RFC 8314). Just as good as 587.",
              tls: "Implicit TLS: clients call it SSL/TLS. STARTTLS on 465 hangs.",
              auth: "Yes, as on 587.",
              blocked: "Seldom."),
        Entry(port: 2525, purpose: "Not a standard port: many sending services offer it for networks that block the others.",
              tls: "STARTTLS, as on 587.",
              auth: "Yes, as on 587.",
              blocked: "Seldom, but only some providers listen on it."),
        Entry(port: 25, purpose: "Mail servers deliver to each other here (relay to the MX). Not meant for mail programs.",
              tls: "STARTTLS when both sides offer it; nothing forces it.",
              auth: "No: servers accept mail for their own domains without a login.",
              blocked: "Often: most home, mobile and cloud networks block outgoing 25 against spam."),
    ]

    /// The port this run found best for the target, and why (nil: none answered, or no run).
    static func recommended(_ facts: Facts) -> (port: Int, reason: String)? {
        let target = facts.target
        if let settings = WorkingSettings.found(in: facts) {
            return (settings.port, "worked in this run with \(settings.securityLabel)")
        }
        guard let scan = facts.scan else { return nil }
        let failedHere = facts.smtp != nil
        for port in PortAdvice.preference where scan.isOpen(port: port) && !(failedHere && port == target.port) {
            return (port, "answers from here; use it with \(port == 465 ? "implicit TLS (SSL/TLS)" : "STARTTLS")")
        }
        if scan.isOpen(port: target.port) { return (target.port, "answers from here (the SMTP conversation had trouble: see the verdict)") }
        return nil
    }

    /// What the port scan saw on a port, in a word or two.
    static func seen(_ facts: Facts, port: Int) -> String {
        guard let scan = facts.scan else { return "not probed" }
        let results = scan.results(port: port)
        guard !results.isEmpty else { return "not probed" }
        if results.contains(where: { $0.state == .open }) { return "open" }
        if results.contains(where: { $0.prohibited }) { return "blocked (ICMP)" }
        if results.contains(where: { $0.state == .refused }) { return "refused" }
        if results.contains(where: { $0.state == .filtered }) { return "no answer" }
        return "unreachable"
    }

    static func lines(_ state: DiagnosisState?, width: Int) -> [Line] {
        let facts = state?.facts
        let best = facts.flatMap(recommended)
        var lines: [Line] = []
        if let state, let facts, state.symptom != .spam {
            let yours = "Your setting: port \(state.target.port)"
            lines += ViewText.wrapped(best.map { "\(yours). Found for \(SafeText.clean(state.target.host)): port \($0.port), \($0.reason). Marked * below." }
                                      ?? "\(yours). No port answered in this run\(facts.scan == nil ? " (the port scan did not run)" : "").",
                                      width: width, style: best == nil ? .warn : .good)
        } else {
            lines += ViewText.wrapped("Run a check (refused, timeout or authentication) to see which of these ports this server answers on.", width: width, style: .dim)
        }
        lines.append(.blank)
        let labelWidth = 10
        let columnWidth = (width - 1 - labelWidth) / entries.count
        guard columnWidth >= 14 else { return lines + stacked(facts, best: best, width: width) }
        func row(_ label: String, _ cells: [String], style: Style = .normal, mark: Bool = false) {
            let wrapped = cells.map { Wrap.lines($0, width: columnWidth - 2) }
            let height = wrapped.map(\.count).max() ?? 1
            for i in 0..<height {
                var spans = [Span(" " + ViewText.column(i == 0 ? label : "", labelWidth), .bold)]
                for (column, text) in wrapped.enumerated() {
                    let cell = ViewText.column(i < text.count ? text[i] : "", columnWidth)
                    let isBest = entries[column].port == best?.port
                    spans.append(Span(cell, mark && isBest ? .good : style))
                }
                lines.append(Line(spans))
            }
            lines.append(.blank)
        }
        row("Port", entries.map { "\($0.port)" + ($0.port == best?.port ? " *" : "") + ($0.port == state?.target.port ? " (yours)" : "") },
            style: .bold, mark: true)
        if let facts, facts.scan != nil {
            row("Here", entries.map { seen(facts, port: $0.port) + ($0.port == best?.port ? " - use this" : "") }, mark: true)
        }
        row("For", entries.map(\.purpose))
        row("TLS", entries.map(\.tls))
        row("Login", entries.map(\.auth))
        row("Blocked", entries.map(\.blocked))
        return lines
    }

    /// One port after another, when the screen is too narrow for columns.
    static func stacked(_ facts: Facts?, best: (port: Int, reason: String)?, width: Int) -> [Line] {
        var lines: [Line] = []
        for entry in entries {
            lines.append(Line(" Port \(entry.port)" + (entry.port == best?.port ? " * found for this server" : ""), entry.port == best?.port ? .good : .bold))
            for (label, text) in [("For", entry.purpose), ("TLS", entry.tls), ("Login", entry.auth), ("Blocked", entry.blocked)] {
                lines += ViewText.wrapped(text, width: width, first: "   " + ViewText.column(label, 8), rest: String(repeating: " ", count: 11))
            }
            if let facts, facts.scan != nil { lines.append(Line("   Here    " + seen(facts, port: entry.port))) }
            lines.append(.blank)
        }
        return lines
    }
}
