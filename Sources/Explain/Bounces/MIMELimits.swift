/// The bounds every parse in this folder stays within, so that no input,
/// however large or hostile, can make the parser use unbounded time or memory.
public struct MIMELimits: Sendable, Hashable {
    /// Largest input accepted at all; a larger file is refused with a clear problem.
    public var maxInputBytes: Int = 64 * 1024 * 1024
    /// Parts (leaves and containers together) in one message tree.
    public var maxParts: Int = 10_000
    /// Levels of multipart and message/rfc822 nesting that are opened.
    public var maxDepth: Int = 20
    /// Fields kept from one header block; later ones are skipped.
    public var maxHeaderFields: Int = 1_000
    /// Bytes kept from one header field after unfolding (RFC 5322 allows 998 per line).
    public var maxHeaderFieldBytes: Int = 16 * 1024
    /// Bytes of a part's decoded text that are turned into a String for reading.
    public var maxTextBytes: Int = 1024 * 1024
    /// Recipients reported for one bounce.
    public var maxRecipients: Int = 2_000

    public init() {}

    public static let standard = MIMELimits()

    /// The problem line for input refused by `maxInputBytes`.
    func tooLargeProblem(_ size: String) -> String {
        let limit = maxInputBytes >= 1024 * 1024 ? "\(maxInputBytes / (1024 * 1024)) MiB" : "\(maxInputBytes) bytes"
        return "The input is \(size), more than the \(limit) limit: not read."
    }
}
