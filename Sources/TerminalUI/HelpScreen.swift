import Diagnosis
import Probes

/// `?`: the keys of every screen and what each family checks. Scrolls when it
/// does not fit; any other key closes it.
enum HelpScreen {
    /// Keys of each screen, as (heading, text).
    static let screenKeys: [(String, String)] = [
        ("Menu", "Up/Down or Tab move, Enter or 1-5 chooses, p opens the port guide, a-j fill the form from a recently used target (never a password)."),
        ("Form", "Tab, Shift-Tab, Up/Down move between fields; Left/Right (or Space) change the TLS mode and the provider preset; Enter runs the checks; Esc returns to the menu. Letters are text here, so q does not quit."),
        ("Steps", "Up/Down choose a step, PgUp/PgDn scroll its details, Enter shows the verdict once the run is over, r runs the checks again, s saves the report (JSON and Markdown; asks before overwriting), Esc returns to the form. On a wide terminal the steps are on the left and the chosen step's question, why it matters and its evidence on the right."),
        ("Verdict", "Up/Down and PgUp/PgDn scroll, Esc returns to the steps, r runs again, s saves the report, m returns to the menu. A remediation that names a port says so: p opens the port guide."),
        ("Evidence views (from the steps and the verdict)", "t the SMTP transcript (lines under TLS tagged TLS), d every DNS lookup and its answer, x the certificate chain, w the timing waterfall (where the time went), p the port guide, c the commands that reproduce the chosen step (and, after the verdict, the working settings to paste). In a view: Up/Down, PgUp/PgDn, Home/End scroll; / then text then Enter searches (matches in reverse video, > marks the current one); n and N go to the next and previous match; another view's key switches to it; Esc goes back."),
        ("Explain", "Paste or type into the box (Enter breaks the line), Tab moves to the file path and the Explain button; on the result, a number opens the check it suggests."),
        ("Saved reports", "smtp-doctor show REPORT.json opens a saved report in these same screens, read-only: nothing is probed again."),
    ]

    static let families: [(String, String)] = [
        ("What the connection family checks", "1. the host name resolves (A and AAAA); 2. the port answers: open, refused (reset), filtered (silence) or unreachable (ICMP); 3. which of 25, 465, 587 and 2525 answer, all at once; 4. whether a non-SMTP port on the same host answers, to tell a blocked network from a dead server; 5. whether IPv4 and IPv6 agree."),
        ("What the timeout family adds", "An SMTP conversation in the TLS mode you chose and, at the same time, one in the opposite mode: a silent greeting, a port that wants TLS at once, a slow greeting, a 421 or 554, a broken conversation, missing STARTTLS, a stalled TLS handshake and the certificate (expired, wrong name, untrusted). The connection family runs the same SMTP checks once the port answers."),
        ("What the authentication family adds", "AUTH after TLS: which mechanisms are offered where, the reply to the login decoded (wrong password, app password needed, AUTH disabled by the provider, temporary fault), then MAIL FROM and RCPT TO when given. The password is typed into a masked field, never shown, saved or sent without TLS."),
        ("What the spam family checks", "For the sender's domain, all at once: SPF (one valid record, the whole include tree with its DNS-lookup count, and check_host() for the sending address), DKIM keys for the selector (or the common ones), DMARC (record, organisational fallback, policy), MX; for the sending address: reverse DNS confirmed forward, and the blocklists. Every fault is a finding; the worst is the verdict."),
        ("What explain does", "Paste a reply line, a log line or a whole bounce (or give the path of a bounce or a saved message): the codes are explained in plain words, the IP addresses, blocklists, domains and mailboxes it names are picked out, and the checks that would confirm it are offered with those values filled in. A saved message gets its DKIM signatures verified and its DMARC alignment and bulk-mail headers checked."),
    ]

    /// The heading of the keys of the screen help was opened from.
    static func current(_ model: WizardModel) -> String {
        if model.panel != nil { return screenKeys[4].0 }
        switch model.screen {
        case .menu: return "Menu"
        case .form: return "Form"
        case .steps: return "Steps"
        case .verdict: return "Verdict"
        case .explainInput, .explainResult: return "Explain"
        }
    }

    /// Keys everywhere, this screen's keys, what each family checks, then the other screens' keys.
    static func content(_ model: WizardModel, width: Int) -> [Line] {
        let here = current(model)
        var paragraphs: [(String, String)] = [("Keys on every screen", "? this help; Ctrl-C quits anywhere; q quits wherever it is not typed as text; Esc or Backspace goes back.")]
        paragraphs += screenKeys.filter { $0.0 == here }.map { ("Keys here: \($0.0)", $0.1) }
        paragraphs += families
        paragraphs += screenKeys.filter { $0.0 != here }.map { ("Keys: \($0.0)", $0.1) }
        var lines: [Line] = []
        for (heading, text) in paragraphs {
            lines.append(.blank)
            lines.append(Line(" " + heading, .bold))
            lines += Wrap.lines(text, width: width - 2).map { Line(" " + $0) }
        }
        return lines
    }

    static func body(_ model: WizardModel, width: Int, height: Int) -> Body {
        let lines = content(model, width: width)
        let room = max(1, height)
        let scroll = max(0, min(model.helpScroll, lines.count - room))
        var shown = Array(lines.dropFirst(scroll).prefix(room))
        let more = scroll + room < lines.count
        if more, !shown.isEmpty { shown[shown.count - 1] = Line(" ... more below (Down, PgDn)", .accent) }
        let keys = more || scroll > 0 ? "Up/Down PgUp/PgDn scroll  any other key closes help  q quit"
            : "any key closes help  q quit"
        return Body(title: "smtp-doctor - help", lines: shown, keys: keys)
    }

    /// Scroll keys move the help; q quits; any other key closes it.
    static func key(_ model: inout WizardModel, _ key: Key) -> [WizardEffect] {
        let room = max(1, model.rows - 2)
        let count = content(model, width: model.columns).count
        let last = max(0, count - room)
        switch key {
        case .down: model.helpScroll = min(last, model.helpScroll + 1)
        case .up: model.helpScroll = max(0, model.helpScroll - 1)
        case .pageDown, .char(" "): model.helpScroll = min(last, model.helpScroll + room - 1)
        case .pageUp: model.helpScroll = max(0, model.helpScroll - room + 1)
        case .home: model.helpScroll = 0
        case .end: model.helpScroll = last
        case .char("q"): return [.quit]
        default:
            model.showHelp = false
            model.helpScroll = 0
        }
        return []
    }
}
