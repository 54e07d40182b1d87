/// An evidence view opened over the steps or verdict screen (the port guide
/// also over the menu): what it shows, how far it is scrolled, and the search.
public struct EvidencePanel: Sendable, Equatable {
    public enum Kind: Sendable, Equatable, CaseIterable {
        case transcript, dnsRecords, certificates, waterfall, portGuide, commands

        /// The key that opens this view.
        public var key: Character {
            switch self {
            case .transcript: return "t"
            case .dnsRecords: return "d"
            case .certificates: return "x"
            case .waterfall: return "w"
            case .portGuide: return "p"
            case .commands: return "c"
            }
        }

        public init?(key: Character) {
            guard let kind = Self.allCases.first(where: { $0.key == key }) else { return nil }
            self = kind
        }

        /// The short name the key bars use.
        public var label: String {
            switch self {
            case .transcript: return "transcript"
            case .dnsRecords: return "DNS"
            case .certificates: return "certificates"
            case .waterfall: return "timing"
            case .portGuide: return "ports"
            case .commands: return "commands"
            }
        }

        public var title: String {
            switch self {
            case .transcript: return "SMTP transcript"
            case .dnsRecords: return "DNS records seen"
            case .certificates: return "certificate chain"
            case .waterfall: return "where the time went"
            case .portGuide: return "port guide"
            case .commands: return "reproduce it"
            }
        }
    }

    public var kind: Kind
    /// The first content line shown.
    public var scroll = 0
    /// The search being typed after `/` (nil: not typing).
    public var draft: String?
    /// The search last confirmed with Enter; `n` and `N` move between its matches.
    public var query = ""
    /// The match `n` last went to, as an index into all matches.
    public var match: Int?
    /// A one-line note for the header ("no match for ...").
    public var note: String?

    public init(kind: Kind) {
        self.kind = kind
    }
}
