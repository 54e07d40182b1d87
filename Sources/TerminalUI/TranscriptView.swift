import Diagnosis
import Probes

/// The SMTP conversations of the run, line by line in swaks notation; lines
/// sent or received under TLS carry a `TLS` tag in the margin.
enum TranscriptView {
    static func lines(_ state: DiagnosisState?, width: Int) -> [Line] {
        guard let state else { return [Line(" No diagnosis has run yet.", .dim)] }
        guard let check = state.facts.smtp else { return absent(state, width: width) }
        var lines = ViewText.wrapped("-> and <- are lines sent and received in plain text; ~> and <~ under TLS (tagged TLS in the margin); === is smtp-doctor's note, *** an error.",
                                     width: width, style: .dim)
        let sessions = [check.primary] + (check.alternate.map { [$0] } ?? [])
        for (index, session) in sessions.enumerated() {
            lines.append(.blank)
            let role = index == 0 ? "as your client is set" : "the opposite TLS mode, tried at the same time"
            let head = "Session \(index + 1) of \(sessions.count): \(session.address.endpoint(session.port)) \(modeName(session.mode)) (\(role)): \(endName(session.end)), \(session.elapsedMs) ms"
            lines += ViewText.wrapped(head, width: width, style: .bold)
            if session.transcript.isEmpty { lines.append(Line("      (nothing was exchanged)", .dim)) }
            for line in session.transcript { lines += render(line, width: width) }
        }
        return lines
    }

    /// One transcript line, wrapped under its text, tagged and styled by direction.
    static func render(_ line: TranscriptLine, width: Int) -> [Line] {
        let tag = line.encrypted ? "TLS " : "    "
        let text = line.rendered
        let style: Style
        switch line.direction {
        case .info: style = .dim
        case .error: style = .bad
        case .sent, .received: style = .normal
        }
        let indent = 1 + tag.count + (text.firstIndex(of: "]").map { text.distance(from: text.startIndex, to: $0) + 6 } ?? 0)
        let room = max(10, width - indent)
        var rows: [Line] = []
        var rest = Substring(text)
        var first = true
        while first || !rest.isEmpty {
            let cut = first ? rest.prefix(max(10, width - 1 - tag.count)) : rest.prefix(room)
            rest = rest.dropFirst(cut.count)
            if first {
                rows.append(Line([Span(" "), Span(tag, line.encrypted ? .good : .normal), Span(String(cut), style)]))
            } else {
                rows.append(Line([Span(String(repeating: " ", count: indent)), Span(String(cut), style)]))
            }
            first = false
        }
        return rows
    }

    /// Why there is no transcript, in the run's own terms.
    static func absent(_ state: DiagnosisState, width: Int) -> [Line] {
        let reason: String
        if state.symptom == .spam {
            reason = "The spam family checks the sender's DNS records only: it holds no SMTP conversation. The DNS records view (d) shows every answer."
        } else if state.pending[.smtp] != nil {
            reason = "The SMTP conversation is still running; its transcript appears here when it ends."
        } else if state.phase == .finished {
            reason = "No SMTP conversation was held in this run: an earlier step found the cause first (no address, or no port answered)."
        } else {
            reason = "The SMTP conversation has not started yet."
        }
        return ViewText.wrapped(reason, width: width)
    }

    static func modeName(_ mode: SMTPTLSMode) -> String {
        switch mode {
        case .plain: return "plain text"
        case .opportunistic: return "STARTTLS if offered"
        case .startTLS: return "STARTTLS"
        case .implicit: return "implicit TLS"
        }
    }

    /// How a session ended, in a few words.
    static func endName(_ end: SMTPSessionEnd) -> String {
        switch end {
        case .completed: return "completed"
        case .greetingRejected(let reply): return "greeting \(reply.code)"
        case .startTLSNotOffered: return "no STARTTLS offered"
        case .startTLSRefused(let reply): return "STARTTLS refused (\(reply.code))"
        case .plaintextAfterStartTLS: return "plain text injected after STARTTLS"
        case .commandRejected(let command, let reply): return "\(SafeText.clean(command)) refused (\(reply.code))"
        case .protocolViolation(let stage, _): return "protocol error during \(stage.rawValue)"
        case .timedOut(let stage): return "timed out during \(stage.rawValue)"
        case .closedByServer(let stage): return "closed by the server during \(stage.rawValue)"
        case .tlsFailed(let stage, _): return "TLS failed during \(stage.rawValue)"
        case .connectFailed: return "could not connect"
        case .authNotOffered: return "no AUTH offered"
        case .authWithheld: return "login withheld (certificate not trusted)"
        case .plaintextAuthRefused: return "login withheld (no TLS)"
        case .authMechanismUnsupported: return "no usable AUTH mechanism"
        case .authRejected(let mechanism, let reply): return "\(mechanism.rawValue) login refused (\(reply.code))"
        case .envelopeRejected(let command, let reply): return "\(SafeText.clean(command)) refused (\(reply.code))"
        }
    }
}

extension IPAddress {
    /// `192.0.2.1:25`, `[2001:db8::1]:25`.
    func endpoint(_ port: Int) -> String {
        family == .ipv6 ? "[\(self)]:\(port)" : "\(self):\(port)"
    }
}
