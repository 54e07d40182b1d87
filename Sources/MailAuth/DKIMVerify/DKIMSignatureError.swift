/// Why a DKIM-Signature header field cannot be verified as written (RFC 6376
/// 3.5, 6.1.1: PERMFAIL). `tag` names the tag at fault.
public struct DKIMSignatureError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var tag: String?
    public var message: String

    public init(tag: String?, message: String) {
        self.tag = tag
        self.message = message
    }

    public var description: String {
        tag.map { "\($0)=: \(message)" } ?? message
    }
}
