import Foundation

/// One `smtp-doctor check` run that would test a reply's likely causes, as
/// values and as a command line with the values found in the text filled in.
/// Values the text did not give appear as placeholders (`DOMAIN`, `HOST`,
/// `USER`, `SENDING_IP`) and are listed in `missing`.
public struct NextCheck: Sendable, Codable, Equatable {
    public var symptom: ReplyFamily
    public var host: String?
    public var user: String?
    public var domain: String?
    public var sendingIP: String?
    public var dnsblZones: [String]
    /// Options whose value the text did not give: `--domain`, `--host`, ...
    public var missing: [String]
    /// What the run confirms or rules out.
    public var purpose: String
    /// Ready to paste: every value is shell-quoted when needed.
    public var commandLine: String

    static let placeholders = (host: "HOST", user: "USER", domain: "DOMAIN", sendingIP: "SENDING_IP")

    init(symptom: ReplyFamily, host: String? = nil, user: String? = nil, domain: String? = nil, sendingIP: String? = nil,
         dnsblZones: [String] = [], purpose: String, options: [String]) {
        self.symptom = symptom
        self.host = host
        self.user = user
        self.domain = domain
        self.sendingIP = sendingIP
        self.dnsblZones = dnsblZones
        self.purpose = purpose
        var words = ["smtp-doctor", "check", "--symptom", symptom.rawValue]
        var missing: [String] = []
        for option in options {
            let value: String?
            let placeholder: String
            switch option {
            case "--host": value = host; placeholder = Self.placeholders.host
            case "--user": value = user; placeholder = Self.placeholders.user
            case "--domain": value = domain; placeholder = Self.placeholders.domain
            case "--sending-ip": value = sendingIP; placeholder = Self.placeholders.sendingIP
            default: continue
            }
            if value == nil { missing.append(option) }
            words += [option, value.map(Self.shellQuoted) ?? placeholder]
        }
        for zone in dnsblZones { words += ["--dnsbl", Self.shellQuoted(zone)] }
        self.missing = missing
        self.commandLine = words.joined(separator: " ")
    }

    /// Values come from pasted text: anything but a plain name or address is
    /// single-quoted so the command can be pasted into a shell safely.
    public static func shellQuoted(_ value: String) -> String {
        let safe = value.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._:@+-".unicodeScalars.contains(scalar))
        }
        if safe && !value.isEmpty && !value.hasPrefix("-") { return value }
        return "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
