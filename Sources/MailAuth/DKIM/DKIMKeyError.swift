/// Why a DKIM key record cannot be used. `tag` names the tag at fault.
public struct DKIMKeyError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
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
