/// The troubleshooting family a reply points at (DESIGN.md, "families").
///
/// The raw values are the `--symptom` names of `smtp-doctor check`, so a
/// family can be turned into the command that investigates it.
public enum ReplyFamily: String, Sendable, Codable, CaseIterable {
    /// The server could not be reached or would not talk: ports, TLS mode,
    /// greeting refusals, protocol confusion.
    case refused
    /// Something did not answer in time.
    case timeout
    /// Logging in, or being allowed to relay, failed.
    case auth
    /// The message was not accepted or not delivered: policy, reputation,
    /// the sending domain's SPF/DKIM/DMARC, the recipient's side.
    case spam
    /// Informational or success: nothing to fix.
    case none
}
