/// What a domain owner asks receivers to do with mail that fails DMARC
/// (RFC 7489 6.3 `p=`, `sp=`; `np=` from RFC 9091 and DMARCbis).
public enum DMARCPolicy: String, Sendable, Codable, CaseIterable {
    case none, quarantine, reject

    /// RFC 7489 6.6.4: mail left out by `pct=` gets the next policy down.
    public var milder: DMARCPolicy {
        switch self {
        case .reject: return .quarantine
        case .quarantine, .none: return .none
        }
    }
}

/// How closely an authenticated domain must match the From: domain
/// (RFC 7489 3.1): `s` wants the same name, `r` the same organizational domain.
public enum DMARCAlignmentMode: String, Sendable, Codable, CaseIterable {
    case relaxed = "r", strict = "s"
}
