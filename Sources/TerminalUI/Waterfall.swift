import Diagnosis
import Probes

/// One bar of the timing waterfall: when it started (from the run's first
/// probe), how long it took, and its deadline (from its own start).
struct WaterfallRow: Equatable {
    var label: String
    var startMs: Int
    var durationMs: Int
    var deadlineMs: Int?
    /// A stage inside the probe above (drawn indented).
    var isStage = false
}

/// The waterfall as plain data and ASCII bars: `#` while running, `-` for
/// the time left before the deadline, `|` at the deadline (`>` when it lies
/// beyond the last probe's end).
enum Waterfall {
    /// The rows of a run, earliest probe first, each SMTP session's stages under it.
    static func rows(_ state: DiagnosisState) -> [WaterfallRow] {
        let timings = state.timings.sorted { ($0.startedAtMs, $0.kind.rawValue) < ($1.startedAtMs, $1.kind.rawValue) }
        guard let base = timings.map(\.startedAtMs).min() else { return [] }
        var rows: [WaterfallRow] = []
        for timing in timings {
            let start = timing.startedAtMs - base
            rows.append(WaterfallRow(label: label(timing.request), startMs: start, durationMs: timing.durationMs,
                                     deadlineMs: deadlineMs(timing.request, target: state.target)))
            if case .smtpSession = timing.request, let check = state.facts.smtp {
                for session in [check.primary] + (check.alternate.map { [$0] } ?? []) {
                    rows += stages(session, start: start)
                }
            }
        }
        return rows
    }

    /// Connect and greeting of one SMTP session, then the whole session.
    static func stages(_ session: SMTPSessionObservation, start: Int) -> [WaterfallRow] {
        let name: String
        switch session.mode {
        case .plain: name = "plain"
        case .opportunistic, .startTLS: name = "starttls"
        case .implicit: name = "implicit TLS"
        }
        var rows: [WaterfallRow] = []
        var connect = session.connectMs
        if connect == nil, case .connectFailed = session.end { connect = session.elapsedMs }
        if let connect {
            rows.append(WaterfallRow(label: "connect", startMs: start, durationMs: connect,
                                     deadlineMs: session.deadlines.connectMs, isStage: true))
            if let greeting = session.greetingDelayMs {
                rows.append(WaterfallRow(label: "greeting", startMs: start + connect, durationMs: greeting,
                                         deadlineMs: session.deadlines.greetingMs, isStage: true))
            } else if case .timedOut(.greeting) = session.end {
                rows.append(WaterfallRow(label: "greeting (none)", startMs: start + connect, durationMs: max(0, session.elapsedMs - connect),
                                         deadlineMs: session.deadlines.greetingMs, isStage: true))
            }
        }
        rows.append(WaterfallRow(label: "session \(name)", startMs: start, durationMs: session.elapsedMs, deadlineMs: nil, isStage: true))
        return rows
    }

    /// What each probe is called in the waterfall.
    static func label(_ request: ProbeRequest) -> String {
        switch request {
        case .resolveHost(let host, _): return "dns \(SafeText.clean(host))"
        case .scanPorts(let addresses, let ports, _): return "connect \(ports.count) ports x \(addresses.count)"
        case .smtpSession(let session): return "smtp \(session.address.endpoint(session.port))"
        case .spf(let domain, _, _, _): return "spf \(SafeText.clean(domain))"
        case .dkim(let domain, _): return "dkim \(SafeText.clean(domain))"
        case .dmarc(let domain): return "dmarc \(SafeText.clean(domain))"
        case .blocklists(let address, _): return "blocklists \(address)"
        case .reverseDNS(let address, _): return "reverse dns \(address)"
        case .mx(let domain): return "mx \(SafeText.clean(domain))"
        }
    }

    /// The deadline a probe ran under: the lookup deadline for DNS checks, the
    /// connect deadline for the port scan, connect plus greeting for a session.
    static func deadlineMs(_ request: ProbeRequest, target: Target) -> Int? {
        switch request {
        case .scanPorts(_, _, let seconds): return Int(seconds * 1000)
        case .smtpSession(let session): return session.deadlines.connectMs + session.deadlines.greetingMs
        default: return Int(target.timeoutSeconds * 1000)
        }
    }

    /// The time the bars span: until the last probe ended. A deadline further
    /// out is shown as `>` at the edge, so fast probes still get wide bars.
    static func scaleMs(_ rows: [WaterfallRow]) -> Int {
        max(1, rows.map { $0.startMs + $0.durationMs }.max() ?? 1)
    }

    /// The bar of one row, exactly `width` characters.
    static func bar(_ row: WaterfallRow, scaleMs: Int, width: Int) -> String {
        guard width > 0 else { return "" }
        let scale = max(1, scaleMs)
        func column(_ ms: Int) -> Int { min(width - 1, max(0, ms * width / scale)) }
        var cells = Array(repeating: Character(" "), count: width)
        let first = column(row.startMs)
        let endMs = row.startMs + row.durationMs
        // The last column the probe ran in (rounded up, so any time shows as one mark).
        let last = max(first, min(width - 1, (endMs * width + scale - 1) / scale - 1))
        for i in first...last { cells[i] = "#" }
        if let deadline = row.deadlineMs {
            let beyond = row.startMs + deadline > scale
            let mark = beyond ? width - 1 : column(row.startMs + deadline)
            if mark > last + 1 { for i in (last + 1)..<mark { cells[i] = "-" } }
            if !beyond || mark > last { cells[mark] = beyond ? ">" : "|" }
        }
        return String(cells)
    }
}

/// Draws the waterfall: label, start, duration, bar.
enum WaterfallView {
    static func lines(_ state: DiagnosisState?, width: Int) -> [Line] {
        guard let state else { return [Line(" No diagnosis has run yet.", .dim)] }
        let rows = Waterfall.rows(state)
        var lines: [Line] = []
        guard !rows.isEmpty else {
            let why = state.phase == .finished ? "No probe timings in this run (a saved report keeps only each step's duration: see the steps)."
                : "No probe has finished yet."
            return ViewText.wrapped(why, width: width, style: .dim) + pending(state)
        }
        let scale = Waterfall.scaleMs(rows)
        let total = rows.map { $0.startMs + $0.durationMs }.max() ?? 0
        let labelWidth = min(30, max(16, width * 3 / 10))
        let barWidth = max(10, width - 1 - labelWidth - 24 - 1)
        lines += ViewText.wrapped("The run took \(total) ms. # the probe running, - time left before its deadline, | the deadline (> further right). The deadline is one lookup's for DNS checks, connect plus greeting for an SMTP session.",
                                  width: width, style: .dim)
        lines.append(.blank)
        let axisEnd = "\(scale) ms"
        lines.append(Line(" " + ViewText.column("probe", labelWidth) + ViewText.right("start", 7) + ViewText.right("took", 8)
                          + ViewText.right("limit", 8) + "  " + "0" + ViewText.right(axisEnd, barWidth - 1), .bold))
        for row in rows {
            let name = (row.isStage ? "  " : "") + row.label
            let bar = Waterfall.bar(row, scaleMs: scale, width: barWidth)
            let overDeadline = row.deadlineMs.map { row.durationMs >= $0 } ?? false
            lines.append(Line([
                Span(" " + ViewText.column(name, labelWidth), row.isStage ? .dim : .normal),
                Span(ViewText.right("\(row.startMs)", 7) + ViewText.right("\(row.durationMs)", 8)
                     + ViewText.right(row.deadlineMs.map(String.init) ?? "", 8) + "  ", .dim),
                Span(bar, overDeadline ? .bad : (row.isStage ? .dim : .accent)),
            ]))
        }
        return lines + pending(state)
    }

    /// Probes still running (no bar yet), and those the verdict came before.
    static func pending(_ state: DiagnosisState) -> [Line] {
        var lines: [Line] = []
        if !state.pending.isEmpty {
            lines += [.blank, Line(" Still running:", .bold)] + state.pending.values.map(Waterfall.label).sorted().map { Line("   " + $0, .dim) }
        }
        if !state.abandoned.isEmpty {
            lines += [.blank, Line(" Started, but the verdict came first (not waited for):", .bold)]
                + state.abandoned.map(Waterfall.label).map { Line("   " + $0, .dim) }
        }
        return lines
    }
}
