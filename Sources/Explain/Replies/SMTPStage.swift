/// The point in the SMTP conversation a reply answered, when the pasted text
/// says so ("in reply to RCPT TO command", "after end of data", a `>>> DATA`
/// line before it).
public enum SMTPStage: String, Sendable, Codable, CaseIterable {
    case connect = "connect"
    case helo = "helo"
    case startTLS = "starttls"
    case auth = "auth"
    case mailFrom = "mail-from"
    case rcptTo = "rcpt-to"
    case data = "data"
    case endOfData = "end-of-data"
    case quit = "quit"

    /// Words people and MTAs use for each stage, in the order they are tried
    /// (longer phrases first so "end of data" wins over "data").
    static let phrases: [(phrase: String, stage: SMTPStage)] = [
        ("in reply to end of data", .endOfData),
        ("after end of data", .endOfData),
        ("end of data command", .endOfData),
        ("for text command", .endOfData),
        ("after data", .data),
        ("in reply to data", .data),
        ("(data)", .data),
        ("after pipelined rcpt to", .rcptTo),
        ("in reply to rcpt to", .rcptTo),
        ("after rcpt to", .rcptTo),
        ("following rcpt command", .rcptTo),
        ("in rcpt to", .rcptTo),
        ("[rcpt_to]", .rcptTo),
        ("smtp:rcpt", .rcptTo),
        ("in reply to mail from", .mailFrom),
        ("after mail from", .mailFrom),
        ("after pipelined mail from", .mailFrom),
        ("[mail_from]", .mailFrom),
        ("in reply to ehlo", .helo),
        ("in reply to helo", .helo),
        ("after ehlo", .helo),
        ("after helo", .helo),
        ("in reply to starttls", .startTLS),
        ("after starttls", .startTLS),
        ("in reply to auth", .auth),
        ("after auth", .auth),
        ("sasl authentication failed", .auth),
        ("refused to talk to me", .connect),
        ("after initial connection", .connect),
        ("in reply to initial greeting", .connect),
        ("at greeting", .connect),
        ("in reply to quit", .quit),
        ("after quit", .quit),
    ]

    /// The stage a client command line starts, if it is one (`RCPT TO:<a@b>`).
    static func forCommand(_ upper: Substring) -> SMTPStage? {
        let verbs: [(String, SMTPStage)] = [
            ("EHLO", .helo), ("HELO", .helo), ("LHLO", .helo), ("STARTTLS", .startTLS), ("AUTH", .auth),
            ("MAIL FROM", .mailFrom), ("RCPT TO", .rcptTo), ("DATA", .data), ("BDAT", .data),
            ("QUIT", .quit), (".", .endOfData),
        ]
        for (verb, stage) in verbs where upper.hasPrefix(verb) {
            let rest = upper.dropFirst(verb.count)
            if rest.isEmpty || rest.first == " " || rest.first == ":" { return stage }
        }
        return nil
    }
}

extension SMTPStage {
    /// For headings: "answer to RCPT TO".
    public var displayName: String {
        switch self {
        case .connect: return "at connection"
        case .helo: return "answer to EHLO/HELO"
        case .startTLS: return "answer to STARTTLS"
        case .auth: return "answer to AUTH"
        case .mailFrom: return "answer to MAIL FROM"
        case .rcptTo: return "answer to RCPT TO"
        case .data: return "answer to DATA"
        case .endOfData: return "after the message data"
        case .quit: return "answer to QUIT"
        }
    }
}
