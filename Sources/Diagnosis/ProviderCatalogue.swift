import Foundation

/// The providers smtp-doctor recognises, and how to find one from a host name.
public enum ProviderCatalogue {
    public static let all: [Provider] = [
        Provider(name: "Gmail / Google Workspace", hosts: ["smtp.gmail.com"],
                 ports: [(587, .starttls), (465, .implicit)],
                 userName: "the full e-mail address",
                 steps: [
                    .authAppPasswordRequired: ["Gmail: turn on 2-Step Verification, then create a 16-character App Password (Google Account > Security > App passwords) and use it as the password."],
                    .authBadCredentials: ["Gmail: the normal account password is not accepted for SMTP; use an App Password (or OAuth), and the full address as the user name."],
                 ],
                 knownReplies: [
                    .init(text: "Application-specific password required", cause: .authAppPasswordRequired, step: "Gmail: create an App Password (2-Step Verification must be on) and use it as the password."),
                    .init(text: "Username and Password not accepted", cause: .authBadCredentials, step: "Gmail: the account password is refused for SMTP; use an App Password or OAuth."),
                 ]),
        Provider(name: "Microsoft 365 / Exchange Online", hosts: ["smtp.office365.com"],
                 ports: [(587, .starttls)],
                 userName: "the full user principal name (the sign-in address)",
                 steps: [
                    .authDisabledByProvider: ["Microsoft 365: SMTP AUTH has three gates: security defaults must be off, the tenant setting SmtpClientAuthenticationDisabled must be false, and the mailbox must allow it (Get-CASMailbox shows SmtpClientAuthenticationDisabled). Or move the program to OAuth."],
                    .authBadCredentials: ["Microsoft 365: use the full sign-in address; accounts with MFA need an app password or OAuth."],
                 ],
                 knownReplies: [
                    .init(text: "SmtpClientAuthentication is disabled", cause: .authDisabledByProvider, step: "Microsoft 365: the tenant has SMTP AUTH off; an admin can enable it (Set-TransportConfig) or move the program to OAuth."),
                    .init(text: "security defaults policy", cause: .authDisabledByProvider, step: "Microsoft 365: security defaults block SMTP AUTH; an admin must turn them off or the program must use OAuth."),
                    .init(text: "Client not authenticated to send mail", cause: .relayDenied, step: "Microsoft 365: log in (AUTH) before MAIL FROM; anonymous sending is refused."),
                    .init(text: "SendAsDenied", cause: .relayDenied, step: "Microsoft 365: this mailbox may not send as that address; grant Send As or use the mailbox's own address."),
                 ]),
        Provider(name: "Outlook.com", hosts: ["smtp-mail.outlook.com"],
                 ports: [(587, .starttls)],
                 userName: "the full e-mail address",
                 steps: [.authBadCredentials: ["Outlook.com: with two-step verification on, create an app password; basic passwords are being retired in favour of OAuth."]]),
        Provider(name: "Amazon SES", hosts: [], hostPatterns: ["email-smtp.*.amazonaws.com"],
                 ports: [(587, .starttls), (2587, .starttls), (465, .implicit), (2465, .implicit)],
                 userName: "the SES SMTP user name (generated for the region, not the IAM access key)",
                 steps: [.authBadCredentials: ["Amazon SES: create SMTP credentials in the SES console for this region; an IAM secret key does not work as the password, and credentials of one region do not work in another."]],
                 knownReplies: [
                    .init(text: "Email address is not verified", cause: .relayDenied, step: "Amazon SES: verify the sender (and, in the sandbox, the recipient) identity in this region, or request production access."),
                    .init(text: "Authentication Credentials Invalid", cause: .authBadCredentials, step: "Amazon SES: create SMTP credentials for this region; an IAM secret key is not the SMTP password."),
                 ]),
        Provider(name: "SendGrid", hosts: ["smtp.sendgrid.net"],
                 ports: [(587, .starttls), (2525, .starttls), (465, .implicit)],
                 userName: "the literal word apikey",
                 steps: [.authBadCredentials: ["SendGrid: the user name is literally apikey and the password is an API key with Mail Send permission (watch for a stray newline when pasting it)."]],
                 knownReplies: [
                    .init(text: "not authorized to send from that email address", cause: .relayDenied, step: "SendGrid: verify the sender address or domain (Sender Identity) before sending from it."),
                 ]),
        Provider(name: "Mailgun (US)", hosts: ["smtp.mailgun.org"],
                 ports: [(587, .starttls), (2525, .starttls), (465, .implicit)],
                 userName: "the domain's SMTP login, e.g. postmaster@your-domain",
                 steps: [.authBadCredentials: ["Mailgun: use the per-domain SMTP credentials (not the dashboard password); an EU account must use smtp.eu.mailgun.org."]]),
        Provider(name: "Mailgun (EU)", hosts: ["smtp.eu.mailgun.org"],
                 ports: [(587, .starttls), (2525, .starttls), (465, .implicit)],
                 userName: "the domain's SMTP login, e.g. postmaster@your-domain",
                 steps: [.authBadCredentials: ["Mailgun: use the per-domain SMTP credentials; a US account must use smtp.mailgun.org."]]),
        Provider(name: "Postmark", hosts: ["smtp.postmarkapp.com", "smtp-broadcasts.postmarkapp.com"],
                 ports: [(587, .starttls), (2525, .starttls), (25, .starttls)],
                 userName: "the Server API token (as user name and password)",
                 steps: [.authBadCredentials: ["Postmark: put the Server API token in both the user name and the password. Postmark has no port 465."]]),
        Provider(name: "Zoho Mail", hosts: ["smtp.zoho.com", "smtppro.zoho.com"],
                 hostPatterns: ["smtp.zoho.*", "smtppro.zoho.*", "smtp.zoho.com.*", "smtppro.zoho.com.*"],
                 ports: [(465, .implicit), (587, .starttls)],
                 userName: "the full e-mail address",
                 steps: [
                    .authBadCredentials: ["Zoho: use the host of your account's data centre (smtp.zoho.eu, .in, .com.au, ...; smtppro for organisations), and an application-specific password if two-factor sign-in is on."],
                    .authAppPasswordRequired: ["Zoho: create an application-specific password in the account's security settings."],
                 ]),
        Provider(name: "Yahoo Mail", hosts: ["smtp.mail.yahoo.com"],
                 ports: [(465, .implicit), (587, .starttls)],
                 userName: "the full e-mail address",
                 steps: [.authBadCredentials: ["Yahoo: the normal password is refused for SMTP; generate an App Password in the account security settings."]]),
        Provider(name: "iCloud Mail", hosts: ["smtp.mail.me.com"],
                 ports: [(587, .starttls)],
                 userName: "the full iCloud address",
                 steps: [.authBadCredentials: ["iCloud: turn on two-factor authentication and use an app-specific password from the Apple Account page, not the Apple ID password."]]),
    ]

    /// The provider's own reading of a reply text, when it is one it is known for.
    public static func knownReply(host: String, text: String) -> Provider.KnownReply? {
        guard let provider = provider(for: host) else { return nil }
        return provider.knownReplies.first { text.range(of: $0.text, options: .caseInsensitive) != nil }
    }

    /// The provider whose host this is.
    public static func provider(for host: String) -> Provider? {
        all.first { $0.matches(host) }
    }

    /// A known provider host one or two typing mistakes away (`smtp.gmial.com` -> `smtp.gmail.com`).
    public static func nearMiss(_ host: String) -> String? {
        let typed = host.lowercased()
        guard provider(for: typed) == nil else { return nil }
        var best: (host: String, distance: Int)?
        for candidate in all.flatMap(\.hosts) {
            let d = distance(typed, candidate)
            if d > 0, d <= 2, d < (best?.distance ?? Int.max) { best = (candidate, d) }
        }
        return best?.host
    }

    /// Damerau-Levenshtein (optimal string alignment): a swapped pair of letters costs one.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
        if abs(x.count - y.count) > 2 { return 3 }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in stride(from: 1, through: x.count, by: 1) {
            for j in stride(from: 1, through: y.count, by: 1) {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}
