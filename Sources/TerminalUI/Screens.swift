import Probes
import Diagnosis

enum MenuScreen {
    static func body(_ model: WizardModel, width: Int) -> Body {
        var lines: [Line] = [.blank, Line(" What is happening with your email?", .bold), .blank]
        for (i, symptom) in WizardModel.menu.enumerated() {
            let marker = i == model.menuIndex ? " > " : "   "
            let text = "\(marker)\(i + 1). \(symptom.title)"
            lines.append(Line(text, i == model.menuIndex ? .reverse : .normal))
        }
        lines.append(.blank)
        if let status = model.status {
            lines += Wrap.lines(status, width: width - 2).map { Line(" " + $0, .warn) }
        }
        return Body(title: "smtp-doctor - why won't my email send?", lines: lines,
                    keys: "Up/Down choose  Enter select  1-5 jump  ? help  q quit")
    }
}

enum FormScreen {
    static func body(_ model: WizardModel, width: Int) -> Body {
        if model.form.asksForSender { return senderBody(model, width: width) }
        let form = model.form
        let symptom = WizardModel.menu[model.menuIndex]
        let fieldWidth = min(40, width - 16)
        var lines: [Line] = [.blank, Line(" Which server does your mail program use?", .bold), .blank]
        func field(_ label: String, _ value: String, _ focus: TargetForm.Field, _ problem: String?) {
            let focused = form.focus == focus
            let shown = String(value.suffix(fieldWidth))
            let box = "[" + shown + String(repeating: "_", count: max(0, fieldWidth - shown.count)) + "]"
            lines.append(Line([Span("  \(label)"), Span(box, focused ? .reverse : .normal)]))
            if let problem {
                lines.append(Line("             " + problem, .warn))
            } else if focus == .host, let hint = form.hostHint {
                lines.append(Line("             " + hint, hint.hasPrefix("did you mean") ? .warn : .good))
            } else {
                lines.append(Line("             ok", .good))
            }
        }
        field("Host       ", form.host, .host, form.hostProblem)
        let cursorHost = (row: 3, column: 14 + min(form.host.count, fieldWidth))
        field("Port       ", form.port, .port, form.portProblem)
        let cursorPort = (row: 5, column: 14 + min(form.port.count, fieldWidth))
        let tlsFocused = form.focus == .tls
        lines.append(Line([Span("  TLS mode   "), Span("< \(form.tls.rawValue) >", tlsFocused ? .reverse : .normal),
                           Span("  Left/Right to change", .dim)]))
        let presetName = form.preset.map { ProviderCatalogue.all[$0].name } ?? "none"
        lines.append(Line([Span("  Provider   "), Span("< \(presetName) >", form.focus == .preset ? .reverse : .normal),
                           Span("  fills host, port, TLS", .dim)]))
        var cursorUser = cursorHost, cursorPassword = cursorHost
        if form.asksForCredentials {
            cursorUser = (row: lines.count, column: 14 + min(form.user.count, fieldWidth))
            field("User       ", form.user, .user, form.user.isEmpty ? "the login name (often the full address)" : nil)
            cursorPassword = (row: lines.count, column: 14 + min(form.password.characterCount, fieldWidth))
            // Only asterisks are ever drawn for the password.
            field("Password   ", String(repeating: "*", count: form.password.characterCount), .password,
                  form.password.isEmpty ? "never shown, logged or saved; sent only over TLS" : nil)
        }
        lines.append(.blank)
        lines.append(Line("  [ Run the checks ]", form.focus == .run ? .reverse : .bold))
        lines.append(.blank)
        let t = model.baseTarget
        let note = "Checks: \(symptom.title.lowercased()). The port, every SMTP port (25, 465, 587, 2525) and port \(t.controlPort) are tried at once, \(Int(t.timeoutSeconds)) s deadline."
        lines += Wrap.lines(note, width: width - 2).map { Line(" " + $0, .dim) }
        if let status = model.status {
            lines += Wrap.lines(status, width: width - 2).map { Line(" " + $0, .warn) }
        }
        let cursor: (row: Int, column: Int)?
        switch form.focus {
        case .host: cursor = cursorHost
        case .port: cursor = cursorPort
        case .user: cursor = cursorUser
        case .password: cursor = cursorPassword
        default: cursor = nil
        }
        return Body(title: "smtp-doctor - \(symptom.title)", lines: lines,
                    keys: "Tab/Up/Down field  Enter run  Esc back  ? help  Ctrl-C quit", cursor: cursor)
    }
}

extension FormScreen {
    /// The spam family's form: the sender's domain, the sending address, a selector.
    static func senderBody(_ model: WizardModel, width: Int) -> Body {
        let form = model.form
        let symptom = WizardModel.menu[model.menuIndex]
        let fieldWidth = min(40, width - 16)
        var lines: [Line] = [.blank, Line(" Which domain do you send from, and from which server?", .bold), .blank]
        var cursor: (row: Int, column: Int)?
        func field(_ label: String, _ value: String, _ focus: TargetForm.Field, _ problem: String?, _ hint: String) {
            let focused = form.focus == focus
            let shown = String(value.suffix(fieldWidth))
            if focused { cursor = (row: lines.count, column: 14 + shown.count) }
            let box = "[" + shown + String(repeating: "_", count: max(0, fieldWidth - shown.count)) + "]"
            lines.append(Line([Span("  \(label)"), Span(box, focused ? .reverse : .normal)]))
            if let problem {
                lines.append(Line("             " + problem, .warn))
            } else {
                lines.append(Line("             " + hint, value.isEmpty ? .dim : .good))
            }
        }
        field("Domain     ", form.domain, .domain, form.domain.isEmpty ? nil : form.domainProblem,
              form.domain.isEmpty ? "the domain of your From address" : "ok")
        field("Sending IP ", form.sendingIP, .sendingIP, form.sendingIPProblem,
              form.sendingIP.isEmpty ? "optional: your mail server's public address" : "ok")
        field("Selector   ", form.selector, .selector, form.selectorProblem,
              form.selector.isEmpty ? "optional: DKIM selector (s= in DKIM-Signature)" : "ok")
        lines.append(.blank)
        lines.append(Line("  [ Run the checks ]", form.focus == .run ? .reverse : .bold))
        lines.append(.blank)
        let note = "Checks SPF (the whole include tree), DKIM keys, DMARC, MX and, with a sending IP, SPF authorisation, reverse DNS and blocklists, all at once."
        lines += Wrap.lines(note, width: width - 2).map { Line(" " + $0, .dim) }
        if let status = model.status {
            lines += Wrap.lines(status, width: width - 2).map { Line(" " + $0, .warn) }
        }
        return Body(title: "smtp-doctor - \(symptom.title)", lines: lines,
                    keys: "Tab/Up/Down field  Enter run  Esc back  ? help  Ctrl-C quit", cursor: cursor)
    }
}

enum StepsScreen {
    static func body(_ model: WizardModel, width: Int, height: Int) -> Body {
        guard let state = model.diagnosis else { return Body(title: "smtp-doctor", lines: [], keys: "Esc back") }
        let t = state.target
        var lines: [Line] = []
        for (i, step) in state.steps.enumerated() {
            let (label, style) = step.status.label(spinner: model.spinner)
            let marker = i == model.selectedStep ? ">" : " "
            let time = step.durationMs.map { $0 > 0 ? " \($0) ms" : "" } ?? ""
            lines.append(Line([Span(marker, .bold), Span(label, style),
                               Span(SafeText.clean(step.hypothesis) + time, i == model.selectedStep ? .bold : .normal)]))
        }
        lines.append(Line(String(repeating: "-", count: width), .dim))
        var detail: [Line] = []
        if state.steps.indices.contains(model.selectedStep) {
            let step = state.steps[model.selectedStep]
            detail += Wrap.lines("Why: " + step.why, width: width - 2).map { Line(" " + $0, .dim) }
            if step.evidence.isEmpty {
                detail.append(Line(step.status == .running ? " Probing..." : " No evidence yet.", .dim))
            }
            for line in step.evidence {
                detail += Wrap.lines(SafeText.clean(line), width: width - 4).enumerated().map { Line(($0.offset == 0 ? "  " : "    ") + $0.element) }
            }
        }
        var footer: [Line] = []
        if state.phase == .finished, let verdict = state.verdict {
            footer.append(Line(" Verdict: \(verdict.cause.rawValue)  (Enter: what to do)", verdict.cause == .healthy ? .good : .bad))
        }
        let room = max(1, height - lines.count - footer.count)
        let scroll = min(model.scroll, max(0, detail.count - room))
        lines += detail.dropFirst(scroll).prefix(room)
        while lines.count < height - footer.count { lines.append(.blank) }
        lines += footer
        return Body(title: "smtp-doctor - \(state.symptom.title) - \(t.shownTarget)", lines: lines,
                    keys: "Up/Down step  PgUp/Dn scroll  Enter verdict  r rerun  Esc back  ? help  q quit")
    }
}

enum VerdictScreen {
    static func body(_ model: WizardModel, width: Int, height: Int) -> Body {
        guard let state = model.diagnosis, let verdict = state.verdict else {
            return Body(title: "smtp-doctor", lines: [Line(" The diagnosis has not finished.")], keys: "Esc back  q quit")
        }
        var content: [Line] = [.blank]
        let healthy = verdict.cause == .healthy
        let head = healthy ? "  NO PROBLEM FOUND (healthy)" : "  PROBLEM: \(verdict.cause.rawValue)"
        content.append(Line(head, healthy ? .good : (verdict.severity == .warning ? .warn : .bad)))
        content += Wrap.lines(SafeText.clean(verdict.summary), width: width - 4).map { Line("  " + $0, .bold) }
        content.append(.blank)
        content.append(Line(" What to do", .bold))
        for (i, step) in state.remediation.enumerated() {
            let wrapped = Wrap.lines(SafeText.clean(step), width: width - 7)
            for (j, line) in wrapped.enumerated() {
                content.append(Line((j == 0 ? "  \(i + 1). " : "     ") + line))
            }
        }
        content.append(.blank)
        content.append(Line(" Evidence", .bold))
        for line in verdict.evidence {
            content += Wrap.lines(SafeText.clean(line), width: width - 4).map { Line("  " + $0, .dim) }
        }
        let scroll = min(model.scroll, max(0, content.count - height))
        return Body(title: "smtp-doctor - verdict - \(state.target.shownTarget)",
                    lines: Array(content.dropFirst(scroll)),
                    keys: "Up/Down scroll  Esc steps  r run again  m menu  ? help  q quit")
    }
}

enum HelpScreen {
    static func body(_ model: WizardModel, width: Int) -> Body {
        let text = [
            ("Keys", true),
            ("Up/Down or Tab move, Enter chooses or runs, Esc or Backspace goes back, r runs the checks again, m returns to the menu from the verdict, PgUp/PgDn scroll, q quits (Ctrl-C quits anywhere; in the form q is text).", false),
            ("", false),
            ("What the connection family checks", true),
            ("1. the host name resolves (A and AAAA); 2. the port answers: open, refused (reset), filtered (silence) or unreachable (ICMP); 3. which of 25, 465, 587 and 2525 answer, all at once; 4. whether a non-SMTP port on the same host answers, to tell a blocked network from a dead server; 5. whether IPv4 and IPv6 agree.", false),
            ("", false),
            ("What the timeout family adds", true),
            ("An SMTP conversation in the TLS mode you chose and, at the same time, one in the opposite mode: a silent greeting, a port that wants TLS at once, a slow greeting, a 421 or 554, a broken conversation, missing STARTTLS, a stalled TLS handshake and the certificate (expired, wrong name, untrusted). The connection family runs the same SMTP checks once the port answers.", false),
            ("", false),
            ("What the authentication family adds", true),
            ("AUTH after TLS: which mechanisms are offered where, the reply to the login decoded (wrong password, app password needed, AUTH disabled by the provider, temporary fault), then MAIL FROM and RCPT TO when given. The password is typed into a masked field, never shown, saved or sent without TLS.", false),
            ("", false),
            ("What the spam family checks", true),
            ("For the sender's domain, all at once: SPF (one valid record, the whole include tree with its DNS-lookup count, and check_host() for the sending address), DKIM keys for the selector (or the common ones), DMARC (record, organisational fallback, policy), MX; for the sending address: reverse DNS confirmed forward, and the blocklists. Every fault is a finding; the worst is the verdict.", false),
            ("", false),
            ("What explain does", true),
            ("Paste a reply line, a log line or a whole bounce (or give the path of a bounce or a saved message): the codes are explained in plain words, the IP addresses, blocklists, domains and mailboxes it names are picked out, and the checks that would confirm it are offered with those values filled in. A saved message gets its DKIM signatures verified and its DMARC alignment and bulk-mail headers checked.", false),
            ("", false),
            ("Press any key to close this help.", false),
        ]
        var lines: [Line] = [.blank]
        for (paragraph, heading) in text {
            if paragraph.isEmpty { lines.append(.blank); continue }
            lines += Wrap.lines(paragraph, width: width - 2).map { Line(" " + $0, heading ? .bold : .normal) }
        }
        return Body(title: "smtp-doctor - help", lines: lines, keys: "any key closes help  q quit")
    }
}

extension Target {
    /// How the title names the target: the domain for the spam family, else host and port.
    var shownTarget: String {
        if let domain { return SafeText.clean(domain) + (sendingIP.map { " from \($0)" } ?? "") }
        return "\(SafeText.clean(host)) port \(port)"
    }
}
