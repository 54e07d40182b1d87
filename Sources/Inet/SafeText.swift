/// Makes text from the network safe to print or draw: control characters
/// (escape sequences, NUL, CR, C1 controls) are shown as `\xNN` instead of
/// reaching the terminal raw.
public enum SafeText {
    public static func clean(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || v == 0x7f || (0x80..<0xa0).contains(v) {
                let hex = String(v, radix: 16, uppercase: true)
                out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    public var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
