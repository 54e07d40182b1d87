/// A text's bytes and line starts, so that "which line is this offset on" is a
/// binary search rather than a rescan (texts can be a mebibyte).
struct BounceTextIndex {
    let text: String
    let bytes: [UInt8]
    /// Byte offsets where each line begins; `lineStarts[0] == 0`.
    let lineStarts: [Int]

    init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == 0x0A { starts.append(offset + 1) }
        lineStarts = starts
    }

    /// The number of the line holding byte `offset`.
    func line(of offset: Int) -> Int {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }

    func lineEnd(_ line: Int) -> Int { line + 1 < lineStarts.count ? lineStarts[line + 1] : bytes.count }

    func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[max(0, range.lowerBound)..<min(bytes.count, max(range.lowerBound, range.upperBound))], as: UTF8.self)
    }
}
