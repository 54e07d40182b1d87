/// Recognises which large provider wrote a reply, from the remote host's
/// name, links in the text and markers only that provider uses.
enum ReplyProviders {
    static let google = "google"
    static let microsoft = "microsoft"
    static let amazonSES = "amazon-ses"
    static let sendGrid = "sendgrid"
    static let yahoo = "yahoo"
    static let mailgun = "mailgun"
    static let postmark = "postmark"
    static let zoho = "zoho"
    static let iCloud = "icloud"

    /// Display names for sentences.
    static func displayName(_ provider: String) -> String {
        switch provider {
        case google: return "Gmail / Google Workspace"
        case microsoft: return "Microsoft 365 / Outlook.com"
        case amazonSES: return "Amazon SES"
        case sendGrid: return "SendGrid"
        case yahoo: return "Yahoo"
        case mailgun: return "Mailgun"
        case postmark: return "Postmark"
        case zoho: return "Zoho Mail"
        case iCloud: return "iCloud Mail"
        default: return provider
        }
    }

    /// Host-name suffixes of each provider's mail servers and web pages.
    private static let hostSuffixes: [(suffix: String, provider: String)] = [
        ("google.com", google), ("googlemail.com", google), ("gmail.com", google),
        ("outlook.com", microsoft), ("office365.com", microsoft), ("office.com", microsoft), ("microsoft.com", microsoft),
        ("hotmail.com", microsoft), ("exchangelabs.com", microsoft),
        ("amazonses.com", amazonSES), ("amazonaws.com", amazonSES),
        ("sendgrid.net", sendGrid), ("sendgrid.com", sendGrid),
        ("yahoodns.net", yahoo), ("yahoo.com", yahoo), ("yahooinc.com", yahoo), ("yahoo.net", yahoo), ("aol.com", yahoo),
        ("mailgun.org", mailgun), ("mailgun.net", mailgun),
        ("postmarkapp.com", postmark), ("mtasv.net", postmark),
        ("zoho.com", zoho), ("zoho.eu", zoho), ("zohomail.com", zoho),
        ("icloud.com", iCloud), ("me.com", iCloud),
    ]

    /// Distinctive words in reply text (lowercased).
    private static let markers: [(marker: String, provider: String)] = [
        (" - gsmtp", google), ("support.google.com", google), ("gmail", google),
        ("go.microsoft.com", microsoft), ("sender.office.com", microsoft), ("aka.ms/", microsoft), ("protection.outlook.com", microsoft),
        ("smtpclientauthentication", microsoft), ("outlook.com", microsoft), ("resolver.adr.", microsoft), ("storedrv.", microsoft),
        ("amazonses", amazonSES), ("email-smtp.", amazonSES), ("amazon ses", amazonSES),
        ("sendgrid", sendGrid),
        ("[tss0", yahoo), ("[ts0", yahoo), ("[bl2", yahoo), ("yahooinc.com", yahoo), ("postmaster.yahoo", yahoo),
        ("mailgun", mailgun), ("postmarkapp", postmark), ("zoho", zoho),
        ("icloud", iCloud), ("mail.me.com", iCloud),
    ]

    /// Provider infrastructure names are not reported as domains: they say
    /// who answered, not which domain is at fault.
    static func isInfrastructure(_ name: String) -> Bool {
        provider(forHost: name) != nil && name.split(separator: ".").count > 2
    }

    static func provider(forHost host: String) -> String? {
        for (suffix, provider) in hostSuffixes where host == suffix || host.hasSuffix("." + suffix) {
            return provider
        }
        return nil
    }

    /// The provider that wrote the reply: the remote host decides if known,
    /// then provider-only markers in the text.
    static func detect(hosts: [String], lowercasedText: [UInt8]) -> String? {
        for host in hosts {
            if let provider = provider(forHost: host) { return provider }
        }
        for (marker, provider) in markers where ReplyBytes.contains(marker, in: lowercasedText) {
            return provider
        }
        return nil
    }
}
