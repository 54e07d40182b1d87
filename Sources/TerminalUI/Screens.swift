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
        lines += RecentTargetsView.lines(model, room: model.rows - 3 - lines.count)
        return Body(title: "smtp-doctor - why won't my email send?", lines: lines,
                    keys: "Up/Down choose  Enter select  1-5 jump\(RecentTargetsView.keyHint(model))  p ports  ? help  q quit")
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

extension Target {
    /// How the title names the target: the domain for the spam family, else host and port.
    var shownTarget: String {
        if let domain { return SafeText.clean(domain) + (sendingIP.map { " from \($0)" } ?? "") }
        return "\(SafeText.clean(host)) port \(port)"
    }
}
