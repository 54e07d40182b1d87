/// One node of a parsed message: a leaf body, a multipart container, or a
/// message/rfc822 (or text/rfc822-headers) wrapper whose single child is the
/// embedded message. Nodes live in `MIMEMessage.parts`, linked by index.
public struct MIMEPart: Sendable {
    public var header: MIMEHeader
    public var contentType: MIMEContentType
    /// Lowercased Content-Transfer-Encoding, "7bit" when absent.
    public var transferEncoding: String
    /// 0 for the whole message, one more per multipart or message/rfc822 level.
    public var depth: Int
    public var parent: Int?
    public var children: [Int] = []
    /// The body as it appears in the message, transfer encoding not undone.
    /// A slice: it shares the input's storage instead of copying it.
    public var rawBody: ArraySlice<UInt8>

    public var mimeType: String { contentType.mimeType }

    /// The body with its transfer encoding undone, at most `limit` bytes.
    public func decodedBody(limit: Int = MIMELimits.standard.maxTextBytes) -> [UInt8] {
        MIMETransferEncoding.decode(rawBody, encoding: transferEncoding, limit: limit)
    }

    /// The body as text in its declared charset (best effort), at most `limit` bytes decoded.
    public func text(limit: Int = MIMELimits.standard.maxTextBytes) -> String {
        MIMECharset.decode(decodedBody(limit: limit), charset: contentType.charset)
    }

    /// True for parts whose body is an embedded message or header block.
    var isMessageWrapper: Bool {
        (contentType.type == "message" && ["rfc822", "global", "partial-headers"].contains(contentType.subtype))
            || (contentType.type == "text" && contentType.subtype == "rfc822-headers")
            || (contentType.type == "message" && ["rfc822-headers", "global-headers"].contains(contentType.subtype))
    }
}
