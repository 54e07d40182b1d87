/// What each SMTP port is for and how TLS starts on it, in the words the
/// remediation uses ("587 answers: use 587 with STARTTLS").
public enum PortAdvice {
    public static func tlsPhrase(_ port: Int) -> String {
        switch port {
        case 465: return "implicit TLS (TLS from the first byte, often labelled SSL/TLS)"
        case 587: return "STARTTLS"
        case 2525: return "STARTTLS (2525 is an unofficial alternative that many senders' services offer)"
        case 25: return "STARTTLS (port 25 is meant for server-to-server relay; most providers accept client submission only on 587 or 465)"
        default: return "the TLS mode your provider documents for it"
        }
    }

    /// The order in which to suggest an alternative port: submission first (RFC 8314 prefers 465, RFC 6409 defines 587).
    public static let preference = [587, 465, 2525, 25]

    /// One line per open alternative, best first.
    public static func alternatives(open ports: [Int], excluding requested: Int) -> [String] {
        preference.filter { $0 != requested && ports.contains($0) }.map { "Port \($0) answers: use \($0) with \(tlsPhrase($0))." }
    }
}
