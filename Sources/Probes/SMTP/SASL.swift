import Crypto
import Foundation

/// SASL mechanisms smtp-doctor can use (RFC 4954 AUTH).
public enum SASLMechanism: String, Sendable, Hashable, Codable, CaseIterable {
    case plain = "PLAIN"
    case login = "LOGIN"
    case cramMD5 = "CRAM-MD5"
    case xoauth2 = "XOAUTH2"

    /// The order to choose in when the person forces none: over TLS, PLAIN is
    /// the simplest and most widely offered; XOAUTH2 needs a token and is only used when asked for.
    static let preference: [SASLMechanism] = [.plain, .login, .cramMD5]
}

/// A secret (password or OAuth token) that never prints itself.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    private(set) var bytes: [UInt8]
    public init(_ text: String) { bytes = Array(text.utf8) }
    /// How many characters were typed (what a masked field shows).
    public var characterCount: Int { String(decoding: bytes, as: UTF8.self).count }

    /// Adds a typed character (the masked field).
    public mutating func append(_ character: Character) { bytes += Array(String(character).utf8) }

    /// Removes the last typed character.
    public mutating func removeLast() {
        var text = String(decoding: bytes, as: UTF8.self)
        if !text.isEmpty { text.removeLast() }
        bytes = Array(text.utf8)
    }
    public var description: String { "[redacted]" }
    public var debugDescription: String { "[redacted]" }
    public var isEmpty: Bool { bytes.isEmpty }
}

/// What to authenticate with.
public struct SMTPCredentials: Sendable {
    public var user: String
    public var secret: Secret
    /// Use this mechanism whatever the server advertises.
    public var mechanism: SASLMechanism?
    /// Send credentials even over a connection without TLS.
    public var allowPlaintext: Bool

    public init(user: String, secret: Secret, mechanism: SASLMechanism? = nil, allowPlaintext: Bool = false) {
        self.user = user
        self.secret = secret
        self.mechanism = mechanism
        self.allowPlaintext = allowPlaintext
    }
}

/// The SASL exchanges as pure functions: what to send first, and how to answer a 334 challenge.
public enum SASL {
    /// The first command line, and how the transcript shows it.
    public static func start(_ mechanism: SASLMechanism, _ credentials: SMTPCredentials) -> (line: String, display: String) {
        switch mechanism {
        case .plain:
            // RFC 4616: authzid NUL authcid NUL passwd, sent as the initial response (RFC 4954 4).
            let payload = [0] + Array(credentials.user.utf8) + [0] + credentials.secret.bytes
            return ("AUTH PLAIN " + Data(payload).base64EncodedString(), "AUTH PLAIN [credentials redacted]")
        case .login, .cramMD5:
            return ("AUTH \(mechanism.rawValue)", "AUTH \(mechanism.rawValue)")
        case .xoauth2:
            let payload = Array("user=\(credentials.user)\u{1}auth=Bearer ".utf8) + credentials.secret.bytes + [1, 1]
            return ("AUTH XOAUTH2 " + Data(payload).base64EncodedString(), "AUTH XOAUTH2 [token redacted]")
        }
    }

    /// The answer to the `step`-th 334 challenge (0-based), with its transcript form.
    /// How many 334 challenges a mechanism answers at most: PLAIN and
    /// CRAM-MD5 one, LOGIN two (user name, password), XOAUTH2 one (the empty
    /// line after an error). A further 334 is answered with "*".
    public static func responses(_ mechanism: SASLMechanism) -> Int {
        mechanism == .login ? 2 : 1
    }

    public static func respond(_ mechanism: SASLMechanism, step: Int, challenge: String, _ credentials: SMTPCredentials) -> (line: String, display: String) {
        switch mechanism {
        case .login:
            // The server asks for the user name, then the password (draft-murchison-sasl-login).
            if step == 0 { return (Data(credentials.user.utf8).base64EncodedString(), "[user name redacted]") }
            return (Data(credentials.secret.bytes).base64EncodedString(), "[password redacted]")
        case .cramMD5:
            // RFC 2195: user SP hex(HMAC-MD5(password, challenge)).
            let decoded = Data(base64Encoded: challenge.trimmingCharacters(in: .whitespaces)) ?? Data()
            let key = SymmetricKey(data: credentials.secret.bytes)
            let mac = HMAC<Insecure.MD5>.authenticationCode(for: decoded, using: key)
            let hex = mac.map { String(format: "%02x", $0) }.joined()
            return (Data("\(credentials.user) \(hex)".utf8).base64EncodedString(), "[CRAM-MD5 response redacted]")
        case .plain:
            // A server that wants the initial response after an empty 334 (RFC 4954 4).
            return (start(.plain, credentials).line.replacingOccurrences(of: "AUTH PLAIN ", with: ""), "[credentials redacted]")
        case .xoauth2:
            // After a failure the server sends a 334 with a JSON error; an empty line ends the exchange.
            return ("", "(empty line: ends the XOAUTH2 exchange)")
        }
    }

    /// The mechanisms an EHLO reply offers ("AUTH PLAIN LOGIN", or the old "AUTH=PLAIN LOGIN").
    public static func offered(in ehlo: SMTPReply?) -> [String] {
        guard let ehlo else { return [] }
        var result: [String] = []
        for line in ehlo.capabilities {
            let words = line.split(separator: " ").map(String.init)
            guard let first = words.first?.uppercased() else { continue }
            if first == "AUTH" { result += words.dropFirst().map { $0.uppercased() } }
            if first.hasPrefix("AUTH=") { result += [String(first.dropFirst(5))] + words.dropFirst().map { $0.uppercased() } }
        }
        var seen = Set<String>()
        return result.filter { seen.insert($0).inserted }
    }
}
