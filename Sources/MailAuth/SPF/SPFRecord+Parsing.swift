extension SPFRecord {
    /// Records longer than this are refused unread: real records stay under
    /// 512 bytes, and the bound keeps hostile input cheap.
    public static let maxLength = 4096
    /// At most this many terms are read.
    public static let maxTerms = 512

    /// Parses a whole record (RFC 7208 4.6 and section 12): every term is
    /// checked, so an error anywhere is found before evaluation starts.
    public static func parse(_ text: String) -> Result<SPFRecord, SPFSyntaxError> {
        guard text.utf8.count <= maxLength else {
            return .failure(SPFSyntaxError(position: maxLength, term: String(text.prefix(16)) + "...",
                                           message: "record longer than \(maxLength) bytes"))
        }
        let scalars = Array(text.unicodeScalars)
        guard isSPFRecord(text) else {
            let first = scalars.prefix { $0 != " " }
            return .failure(SPFSyntaxError(position: 0, term: String(String.UnicodeScalarView(first)),
                                           message: "an SPF record starts with \"v=spf1\" followed by a space"))
        }
        var terms: [SPFTerm] = []
        var seenModifiers: Set<String> = []
        var index = 6
        while index < scalars.count {
            if scalars[index] == " " { index += 1; continue }
            let start = index
            while index < scalars.count, scalars[index] != " " { index += 1 }
            let reader = SPFTermReader(scalars: scalars[start..<index])
            guard terms.count < maxTerms else { return .failure(reader.error(start, "more than \(maxTerms) terms")) }
            switch reader.read() {
            case .failure(let error):
                return .failure(error)
            case .success(let term):
                if case .modifier(let modifier) = term.kind {
                    let name: String? = switch modifier {
                    case .redirect: "redirect"
                    case .explanation: "exp"
                    case .unknown: nil
                    }
                    if let name, !seenModifiers.insert(name).inserted {
                        return .failure(reader.error(start, "\(name)= appears more than once (RFC 7208 6)"))
                    }
                }
                terms.append(term)
            }
        }
        return .success(SPFRecord(text: text, terms: terms))
    }
}
