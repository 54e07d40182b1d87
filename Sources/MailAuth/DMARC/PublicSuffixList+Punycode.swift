extension PublicSuffixList {
    /// Decodes the part of an `xn--` label after the prefix (RFC 3492 6.2);
    /// nil when it is not valid Punycode.
    static func decodePunycode(_ encoded: String) -> String? {
        let base = 36, tMin = 1, tMax = 26
        let input = Array(encoded.utf8)
        guard input.count <= 63 else { return nil }   // a DNS label's limit
        var output: [Unicode.Scalar] = []
        var position = 0
        if let delimiter = input.lastIndex(of: UInt8(ascii: "-")) {
            for byte in input[..<delimiter] {
                guard byte < 0x80 else { return nil }
                output.append(Unicode.Scalar(byte))
            }
            position = delimiter + 1
        }
        var code = 128, index = 0, bias = 72
        while position < input.count {
            let oldIndex = index
            var weight = 1
            var k = base
            while true {
                guard position < input.count, let digit = punycodeDigit(input[position]) else { return nil }
                position += 1
                let (product, overflow) = digit.multipliedReportingOverflow(by: weight)
                guard !overflow, index <= Int(Int32.max) - product else { return nil }
                index += product
                let threshold = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                if digit < threshold { break }
                guard weight <= Int(Int32.max) / (base - threshold) else { return nil }
                weight *= base - threshold
                k += base
            }
            let count = output.count + 1
            bias = adaptBias(index - oldIndex, count: count, first: oldIndex == 0)
            code += index / count
            index %= count
            guard let scalar = Unicode.Scalar(UInt32(clamping: code)) else { return nil }
            output.insert(scalar, at: index)
            index += 1
        }
        var text = ""
        text.unicodeScalars.append(contentsOf: output)
        return text
    }

    private static func punycodeDigit(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0")) + 26
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return Int(byte - UInt8(ascii: "a"))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return Int(byte - UInt8(ascii: "A"))
        default: return nil
        }
    }

    /// RFC 3492 6.1.
    private static func adaptBias(_ delta: Int, count: Int, first: Bool) -> Int {
        var delta = first ? delta / 700 : delta / 2
        delta += delta / count
        var k = 0
        while delta > ((36 - 1) * 26) / 2 {
            delta /= 36 - 1
            k += 36
        }
        return k + (36 - 1 + 1) * delta / (delta + 38)
    }
}
