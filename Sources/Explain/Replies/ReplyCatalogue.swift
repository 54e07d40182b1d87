/// What a three-digit SMTP reply code means (RFC 5321 4.2, with the codes
/// added by RFC 3207, RFC 4954 and RFC 7504).
public struct ReplyCodeInfo: Sendable, Equatable {
    public let code: Int
    /// A few words: "Mailbox unavailable".
    public let title: String
    /// One or two plain sentences.
    public let meaning: String
    public let family: ReplyFamily
    /// Causes from the project vocabulary that this code usually points at.
    public let causes: [String]
    public let senderAdvice: [String]
    public let adminAdvice: [String]
    public let reference: String

    public var outcome: ReplyOutcome { ReplyOutcome(replyCode: code) }
    /// 4yz: the same attempt may work later (RFC 5321 4.2.1).
    public var temporary: Bool { code / 100 == 4 }
}

/// What an enhanced status code's subject and detail mean (RFC 3463 and the
/// IANA "SMTP Enhanced Status Codes" registry), independent of the class digit.
public struct EnhancedStatusInfo: Sendable, Equatable {
    public let subject: Int
    public let detail: Int
    public let title: String
    public let meaning: String
    /// How the registry says the code is meant to be used.
    public let persistence: StatusPersistence
    /// The family when the code reports a failure (class 4 or 5); class 2 is
    /// always `.none`.
    public let family: ReplyFamily
    public let causes: [String]
    public let senderAdvice: [String]
    public let adminAdvice: [String]
    public let reference: String

    /// `X.subject.detail`, the registry's spelling.
    public var registryKey: String { "X.\(subject).\(detail)" }

    public func family(forClass statusClass: Int) -> ReplyFamily { statusClass == 2 ? .none : family }
}

/// Whether the registry describes a detail code as permanent, transient,
/// either, or a report of success.
public enum StatusPersistence: String, Sendable, Codable {
    case permanent, transient, either, informational
}

/// The first digit of a reply, in words.
public enum ReplyOutcome: String, Sendable, Codable {
    case success, intermediate, temporary, permanent, unknown

    public init(replyCode: Int) {
        switch replyCode / 100 {
        case 2: self = .success
        case 3: self = .intermediate
        case 4: self = .temporary
        case 5: self = .permanent
        default: self = .unknown
        }
    }
}

/// The class (first) or subject (second) part of an enhanced status code.
public struct StatusPartInfo: Sendable, Equatable {
    public let number: Int
    public let title: String
    public let meaning: String
}

/// Every basic reply code and every registered enhanced status code, with
/// plain-language meaning, family, likely causes and advice. Pure data.
public enum ReplyCatalogue {
    /// The entry for a basic reply code, when it is one RFC 5321 and its
    /// updates define.
    public static func basic(_ code: Int) -> ReplyCodeInfo? { basicByCode[code] }

    /// The entry for an enhanced code's subject and detail; the class is not
    /// part of the lookup (the registry lists `X.s.d`).
    public static func enhanced(_ code: EnhancedStatusCode) -> EnhancedStatusInfo? {
        enhancedByKey[code.subject * 1000 + code.detail]
    }

    public static func enhanced(subject: Int, detail: Int) -> EnhancedStatusInfo? {
        enhancedByKey[subject * 1000 + detail]
    }

    /// 2, 4 or 5.
    public static func statusClass(_ digit: Int) -> StatusPartInfo? { classes.first { $0.number == digit } }

    /// 0 to 7.
    public static func subject(_ digit: Int) -> StatusPartInfo? { subjects.first { $0.number == digit } }

    /// A meaning for any three-digit code, known or not, built from its
    /// digits (RFC 5321 4.2.1) when the code is not in the catalogue.
    public static func describeBasic(_ code: Int) -> ReplyCodeInfo {
        if let known = basicByCode[code] { return known }
        let first: String
        switch code / 100 {
        case 2: first = "The server reports success"
        case 3: first = "The server is waiting for more input"
        case 4: first = "The server refused for now (a temporary failure)"
        case 5: first = "The server refused for good (a permanent failure)"
        default: first = "This is not a valid SMTP reply code"
        }
        let area: String
        switch (code / 10) % 10 {
        case 0: area = " about the syntax of a command"
        case 1: area = " with information"
        case 2: area = " about the connection"
        case 5: area = " about the mail system or a mailbox"
        default: area = ""
        }
        let family: ReplyFamily
        switch code / 100 {
        case 4, 5: family = (code / 10) % 10 == 2 ? .refused : .spam
        default: family = .none
        }
        return ReplyCodeInfo(
            code: code, title: "Non-standard reply \(code)",
            meaning: "\(first)\(area). \(code) is not one of the codes the SMTP standard defines, so the text after it carries the real reason.",
            family: family, causes: [], senderAdvice: ["Read the text of the reply: with a non-standard code it is the only precise explanation."],
            adminAdvice: [], reference: "RFC 5321 section 4.2.1 (theory of reply codes)")
    }

    private static let basicByCode: [Int: ReplyCodeInfo] = Dictionary(uniqueKeysWithValues: basicCodes.map { ($0.code, $0) })
    private static let enhancedByKey: [Int: EnhancedStatusInfo] = Dictionary(uniqueKeysWithValues: enhancedCodes.map { ($0.subject * 1000 + $0.detail, $0) })
}
