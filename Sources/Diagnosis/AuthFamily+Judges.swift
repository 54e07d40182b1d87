import Probes

extension AuthFamily {
    static func judgeOffered(_ facts: Facts) -> Judgement {
        guard facts.target.user != nil else { return Judgement(.skipped, evidence: ["No user name was given (--user), so AUTH was not tried."]) }
        guard let s = SMTPNodes.session(facts) else { return SMTPNodes.notReached(facts) }
        let before = s.authOfferedBeforeTLS, after = s.authOfferedAfterTLS
        var evidence = ["AUTH offered before TLS: \(list(before)); after TLS: \(s.ehloAfterTLS == nil ? "(no TLS)" : list(after))."]
        evidence += SMTPNodes.transcript(s)
        let port = s.port
        switch s.end {
        case .authNotOffered:
            if s.ehloAfterTLS == nil, s.startTLSOffered == true {
                return SMTPNodes.confirmed(.authRequiresTLS, evidence: evidence,
                    summary: "Port \(port) offers no AUTH in plain text but does offer STARTTLS: this server accepts a login only after STARTTLS.",
                    remediation: ["Turn on STARTTLS in the mail program (or use port 465 with implicit TLS); then AUTH appears."])
            }
            var remediation = ["Use the submission port: 587 with STARTTLS, or 465 with implicit TLS. Servers offer AUTH there, not on 25."]
            if port != 25 { remediation = ["Check that this is the provider's submission host and port; this service does not take logins here.", remediation[0]] }
            return SMTPNodes.confirmed(.authNotOffered, evidence: evidence,
                summary: "\(facts.target.host) port \(port) does not offer AUTH\(port == 25 ? " (port 25 is for server-to-server relay)" : "").",
                remediation: remediation)
        case .plaintextAuthRefused:
            return SMTPNodes.confirmed(.plaintextAuthRefused, evidence: evidence,
                summary: "Port \(port) offers AUTH (\(list(before))) over a connection without TLS; smtp-doctor did not send the password in clear.",
                remediation: [
                    "Use STARTTLS on port \(port), or port 465 with implicit TLS, so the password is encrypted.",
                    "To test a plain-text login anyway (on a network you trust), add --allow-plaintext-auth.",
                ])
        case .authMechanismUnsupported(let offered):
            return SMTPNodes.confirmed(.authMechanismUnsupported, evidence: evidence,
                summary: "The server offers only \(list(offered)), none of which smtp-doctor or most mail programs speak.",
                remediation: ["Choose a mechanism the server lists in the mail program, or ask the provider which one to use."])
        case .authWithheld:
            return Judgement(.inconclusive, evidence: evidence + ["The certificate did not verify, so the credentials were not sent; see the certificate step."])
        default:
            return Judgement(.ruledOut, evidence: evidence)
        }
    }

    static func judgeResult(_ facts: Facts) -> Judgement {
        guard facts.target.user != nil else { return Judgement(.skipped, evidence: ["No user name was given (--user)."]) }
        guard let s = SMTPNodes.session(facts) else { return SMTPNodes.notReached(facts) }
        let evidence = SMTPNodes.transcript(s)
        guard case .authRejected(let mechanism, let reply) = s.end else {
            if s.authenticated { return Judgement(.ruledOut, evidence: ["AUTH \(s.authMechanism?.rawValue ?? "") succeeded (235)."]) }
            return Judgement(.skipped, evidence: ["AUTH was not attempted (see the step before)."])
        }
        let text = SafeText.clean(reply.wireLines.joined(separator: " "))
        let enhanced = reply.enhanced
        let quoted = "\(reply.code)\(enhanced.map { " \($0)" } ?? ""): \"\(text)\""
        if reply.code == 534 || enhanced == EnhancedStatusCode(klass: 5, subject: 7, detail: 9) {
            return SMTPNodes.confirmed(.authAppPasswordRequired, evidence: evidence,
                summary: "The server wants an app password, not the account password (\(quoted)).",
                remediation: [
                    "Create an app password in the account's security settings (this usually needs two-step verification turned on) and use it instead of the normal password.",
                    "Or switch the mail program to OAuth sign-in if it supports it.",
                ])
        }
        if enhanced == EnhancedStatusCode(klass: 5, subject: 7, detail: 139) || reply.text.contains("SmtpClientAuthentication is disabled") {
            return SMTPNodes.confirmed(.authDisabledByProvider, evidence: evidence,
                summary: "The provider has turned off SMTP AUTH for this account or organisation (\(quoted)).",
                remediation: [
                    "An administrator must enable authenticated SMTP for this mailbox (Microsoft 365: SMTP AUTH per mailbox, and security defaults off), or the program must use OAuth.",
                ])
        }
        if reply.isTransient {
            return SMTPNodes.confirmed(.authTemporaryFailure, evidence: evidence,
                summary: "AUTH failed for now (\(quoted)); the server's authentication back end is busy or down.",
                remediation: ["Try again in a few minutes; if it lasts, tell the provider. The credentials were not judged wrong."])
        }
        if reply.code == 530 {
            return SMTPNodes.confirmed(.authRequiresTLS, evidence: evidence,
                summary: "The server requires TLS before AUTH (\(quoted)).",
                remediation: ["Turn on STARTTLS in the mail program, or use port 465 with implicit TLS."])
        }
        if reply.code == 504 || enhanced == EnhancedStatusCode(klass: 5, subject: 5, detail: 4) {
            return SMTPNodes.confirmed(.authMechanismUnsupported, evidence: evidence,
                summary: "The server does not accept AUTH \(mechanism.rawValue) (\(quoted)).",
                remediation: ["Use a mechanism the server lists after EHLO: \(list(s.encryptedOffer))."])
        }
        return SMTPNodes.confirmed(.authBadCredentials, evidence: evidence,
            summary: "The server rejected the user name or password (\(quoted)).",
            remediation: [
                "Check the user name: many providers want the full e-mail address; some want a fixed name (SendGrid: apikey).",
                "Re-enter the password; if the provider issues separate SMTP credentials (Amazon SES, Mailgun), use those, not the account password.",
            ])
    }

    static func judgeRelay(_ facts: Facts) -> Judgement {
        guard facts.target.mailFrom != nil, facts.target.rcptTo != nil else {
            return Judgement(.skipped, evidence: ["No --mail-from and --rcpt-to were given, so the envelope was not tried."])
        }
        guard let s = SMTPNodes.session(facts) else { return SMTPNodes.notReached(facts) }
        guard case .envelopeRejected(let command, let reply) = s.end else {
            if case .completed = s.end { return Judgement(.ruledOut, evidence: ["MAIL FROM and RCPT TO were accepted; QUIT came before DATA."]) }
            return Judgement(.skipped, evidence: ["The envelope was not reached."])
        }
        let text = SafeText.clean(reply.wireLines.joined(separator: " "))
        return SMTPNodes.confirmed(.relayDenied, evidence: SMTPNodes.transcript(s),
            summary: "The server refused \(command) with \(reply.code): \"\(text)\"\(s.authenticated ? ", although AUTH succeeded" : " (no AUTH was done)").",
            remediation: s.authenticated
                ? ["The account may not send as this sender address, or to outside recipients: use the mailbox's own address as the sender, or ask the provider."]
                : ["The server relays only for authenticated users: log in first (--user with --password-env or --password-file)."])
    }

    static func list(_ names: [String]) -> String { names.isEmpty ? "none" : names.joined(separator: " ") }

    /// The provider's own steps for a cause come first, when the host is a known provider's.
    static func withProvider(_ judgement: Judgement, _ facts: Facts) -> Judgement {
        guard var finding = judgement.finding, let provider = ProviderCatalogue.provider(for: facts.target.host) else { return judgement }
        // A reply text this provider is known for names the cause and the fix more exactly than its code.
        let replies = facts.smtp?.primary.transcript.filter { $0.direction == .received }.map(\.text).joined(separator: " ") ?? ""
        var known: [String] = []
        if let reply = ProviderCatalogue.knownReply(host: facts.target.host, text: replies) {
            finding.cause = reply.cause
            known = [reply.step]
        }
        let steps = known + (provider.steps[finding.cause] ?? []).filter { !known.contains($0) }
        finding.remediation = steps + finding.remediation + ["\(provider.name): ports \(provider.portSummary); user name: \(provider.userName)."]
        var result = judgement
        result.finding = finding
        return result
    }
}

extension SMTPSessionObservation {
    /// The AUTH mechanisms of the last EHLO (after TLS when there was TLS).
    var encryptedOffer: [String] { ehloAfterTLS != nil ? authOfferedAfterTLS : authOfferedBeforeTLS }
}
