/// The outcome of an SPF check (RFC 7208 2.6).
public enum SPFResult: String, Sendable, Codable, CaseIterable {
    case pass, fail, softfail, neutral, none, permerror, temperror
}
