/// One line of an SMTP conversation, as swaks would show it.
public struct TranscriptLine: Sendable, Hashable, Codable {
    public enum Direction: String, Sendable, Codable {
        case sent
        case received
        case info
        case error
    }

    public var direction: Direction
    public var encrypted: Bool
    /// Milliseconds since the connection attempt started.
    public var offsetMs: Int
    public var text: String

    public init(direction: Direction, encrypted: Bool, offsetMs: Int, text: String) {
        self.direction = direction
        self.encrypted = encrypted
        self.offsetMs = offsetMs
        self.text = text
    }

    /// swaks notation: `===` info, `***` error, ` ->` sent, ` ~>` sent under TLS,
    /// `<- ` received, `<~ ` received under TLS.
    public var marker: String {
        switch (direction, encrypted) {
        case (.info, _): return "==="
        case (.error, _): return "***"
        case (.sent, false): return " ->"
        case (.sent, true): return " ~>"
        case (.received, false): return "<- "
        case (.received, true): return "<~ "
        }
    }

    /// The line with its time offset and marker, control characters escaped.
    public var rendered: String {
        let safe = SafeText.clean(text)
        let seconds = "\(offsetMs / 1000).\(String(offsetMs % 1000).leftPadded(3))"
        return "[\(seconds)] \(marker) \(safe)"
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
