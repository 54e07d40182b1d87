/// Reads one DMARC record tag by tag (RFC 7489 6.3 and 6.4; RFC 9989's
/// changes where `rules` says so).
struct DMARCRecordParser {
    let text: String
    let rules: DMARCRules
    private var record: DMARCRecord
    private var policyWritten = false

    init(text: String, rules: DMARCRules) {
        self.text = text
        self.rules = rules
        self.record = DMARCRecord(raw: text, policy: .none)
    }

    func run() -> Result<DMARCRecord, DMARCParseError> {
        var parser = self
        do {
            try parser.read()
            return .success(parser.record)
        } catch {
            return .failure(error)
        }
    }

    private mutating func read() throws(DMARCParseError) {
        let list: DKIMTagList
        switch DKIMTagList.parse(text, caseInsensitiveNames: true) {
        case .success(let parsed): list = parsed
        case .failure(let error): throw DMARCParseError(tag: error.tag, message: error.message)
        }
        try checkVersion(list.tags[0], wherever: list.index(of: "v", ignoringCase: true))
        for (position, tag) in list.tags.enumerated().dropFirst() {
            try read(tag, at: position)
        }
        try settlePolicy()
        addAdvice()
    }

    /// RFC 7489 6.3: `v=DMARC1` first, the value matched exactly.
    private func checkVersion(_ first: DKIMTagList.Tag, wherever position: Int?) throws(DMARCParseError) {
        guard DKIMTagList.asciiLowercased(first.name) == "v" else {
            let message = position == nil ? "not a DMARC record: it must start with v=DMARC1"
                : "v=DMARC1 must be the first tag"
            throw DMARCParseError(tag: "v", message: message)
        }
        let value = first.value
        guard value != "DMARC1" else { return }
        if value.hasPrefix("DMARC1"), value.dropFirst(6).first?.isWhitespace == true {
            throw DMARCParseError(tag: "v", message: "a ';' is missing after v=DMARC1")
        }
        if DKIMTagList.asciiLowercased(value) == "dmarc1" {
            throw DMARCParseError(tag: "v", message: "the version is case-sensitive: write DMARC1, not \(SafeShown.text(value))")
        }
        throw DMARCParseError(tag: "v", message: "version '\(SafeShown.text(value))' is not DMARC1")
    }

    private mutating func read(_ tag: DKIMTagList.Tag, at position: Int) throws(DMARCParseError) {
        let name = DKIMTagList.asciiLowercased(tag.name)
        let value = tag.value
        switch name {
        case "p":
            record.policy = try policy(value, tag: name)
            policyWritten = true
            if position != 1 {
                record.warnings.append(
                    "p tag does not immediately follow the v tag; RFC 7489's grammar puts it second and some receivers insist")
            }
        case "sp": record.subdomainPolicy = try policy(value, tag: name)
        case "np": record.nonexistentSubdomainPolicy = try policy(value, tag: name)
        case "adkim": record.dkimAlignment = try alignment(value, tag: name)
        case "aspf": record.spfAlignment = try alignment(value, tag: name)
        case "rua": record.aggregateReports = try reportURIs(value, tag: name)
        case "ruf": record.failureReports = try reportURIs(value, tag: name)
        case "fo": record.failureOptions = try failureOptions(value)
        case "pct", "rf", "ri":
            if rules == .rfc9989 {
                record.warnings.append(
                    "\(name) tag was removed in RFC 9989 and is ignored by receivers that follow it (older ones may still read it)")
            } else {
                try readRFC7489Only(name, value)
            }
        case "t", "psd":
            if rules == .rfc9989 {
                try readRFC9989Only(name, value)
            } else {
                record.warnings.append("\(name)= is a DMARCbis (RFC 9989) tag; RFC 7489 receivers ignore it")
            }
        default:
            record.warnings.append("Unknown DMARC tag '\(SafeShown.text(tag.name))' is ignored")
        }
    }

    private mutating func readRFC7489Only(_ name: String, _ value: String) throws(DMARCParseError) {
        switch name {
        case "pct":
            guard let percent = Self.number(value, maximumDigits: 3), percent <= 100 else {
                throw DMARCParseError(tag: name, message: "'\(SafeShown.text(value))' is not a whole number from 0 to 100")
            }
            record.percent = percent
        case "ri":
            guard let seconds = Self.number(value, maximumDigits: 10), seconds <= Int(UInt32.max) else {
                throw DMARCParseError(tag: name, message: "'\(SafeShown.text(value))' is not a number of seconds")
            }
            record.reportInterval = seconds
        default:
            record.reportFormat = try reportFormats(value)
        }
    }

    private mutating func readRFC9989Only(_ name: String, _ value: String) throws(DMARCParseError) {
        let lowered = DKIMTagList.asciiLowercased(value)
        if name == "t" {
            guard lowered == "y" || lowered == "n" else {
                throw DMARCParseError(tag: name, message: "'\(SafeShown.text(value))' is not y or n")
            }
            record.testing = lowered == "y"
        } else {
            guard ["y", "n", "u"].contains(lowered) else {
                throw DMARCParseError(tag: name, message: "'\(SafeShown.text(value))' is not y, n or u")
            }
            record.publicSuffixDomain = lowered == "u" ? nil : lowered == "y"
        }
    }

    private func policy(_ value: String, tag: String) throws(DMARCParseError) -> DMARCPolicy {
        let lowered = DKIMTagList.asciiLowercased(value)
        guard let policy = DMARCPolicy(rawValue: lowered) else {
            // Some receivers read a bare first letter; RFC 7489 6.4 does not.
            let meant = DMARCPolicy.allCases.first { !lowered.isEmpty && $0.rawValue.hasPrefix(lowered) }
            let hint = meant.map { " (write \(tag)=\($0.rawValue) in full)" } ?? ""
            throw DMARCParseError(tag: tag, message: "'\(SafeShown.text(value))' is not none, quarantine or reject\(hint)")
        }
        return policy
    }

    private func alignment(_ value: String, tag: String) throws(DMARCParseError) -> DMARCAlignmentMode {
        guard let mode = DMARCAlignmentMode(rawValue: DKIMTagList.asciiLowercased(value)) else {
            throw DMARCParseError(tag: tag, message: "'\(SafeShown.text(value))' is not r (relaxed) or s (strict)")
        }
        return mode
    }

    /// RFC 7489 6.4: a comma-separated list of URIs, each with an optional
    /// `!size`. Anything else is not a destination a reporter can use.
    private mutating func reportURIs(_ value: String, tag: String) throws(DMARCParseError) -> [String] {
        let items = Self.list(value, separator: ",")
        if items.isEmpty {
            record.warnings.append("\(tag)= is empty, so it names nobody to send reports to")
        }
        for item in items {
            guard let uri = DMARCReportURI.parse(item) else {
                let hint = item.contains("@") && !item.contains(":") ? " (write mailto:\(SafeShown.text(item)))" : ""
                throw DMARCParseError(tag: tag, message: "'\(SafeShown.text(item))' is not a URI\(hint)")
            }
            if uri.scheme != "mailto" {
                record.warnings.append(
                    "\(tag)= destination '\(SafeShown.text(item))' is not mailto:, the only scheme reporters must support")
            } else if uri.mailAddress == nil {
                record.warnings.append("\(tag)= destination '\(SafeShown.text(item))' holds no mail address")
            }
            if uri.sizeLimit != nil, rules == .rfc9989 {
                record.warnings.append("the !size suffix on '\(SafeShown.text(item))' is obsolete in RFC 9989")
            }
        }
        return items
    }

    private func failureOptions(_ value: String) throws(DMARCParseError) -> [String] {
        let options = Self.list(value, separator: ":").map(DKIMTagList.asciiLowercased)
        guard !options.isEmpty else {
            throw DMARCParseError(tag: "fo", message: "empty; write 0, 1, d or s, joined by ':'")
        }
        for option in options where !["0", "1", "d", "s"].contains(option) {
            throw DMARCParseError(tag: "fo", message: "'\(SafeShown.text(option))' is not 0, 1, d or s")
        }
        return options
    }

    /// RFC 7489 6.3: formats from the registry, `afrf` being the only one.
    /// `iodef` came from the pre-RFC DMARC specification and is still seen.
    private mutating func reportFormats(_ value: String) throws(DMARCParseError) -> [String] {
        var separator: Character = ":"
        if value.contains(","), !value.contains(":") {
            separator = ","
            record.warnings.append("rf= values are separated by ':' (RFC 7489 6.4), not ','")
        }
        let formats = Self.list(value, separator: separator).map(DKIMTagList.asciiLowercased)
        guard !formats.isEmpty else { throw DMARCParseError(tag: "rf", message: "empty; the format is afrf") }
        for format in formats {
            switch format {
            case "afrf": continue
            case "iodef": record.warnings.append("rf=iodef is from the pre-RFC DMARC draft; receivers send afrf")
            default: throw DMARCParseError(tag: "rf", message: "'\(SafeShown.text(format))' is not a report format (afrf)")
            }
        }
        return formats
    }

    /// A missing `p=`: RFC 9989 reads it as none; RFC 7489 6.6.3 does so only
    /// when `rua=` names a usable URI, and otherwise ignores the record.
    private mutating func settlePolicy() throws(DMARCParseError) {
        guard !policyWritten else { return }
        if rules == .rfc7489, record.aggregateReports.isEmpty {
            throw DMARCParseError(tag: "p", message: "p= is required (none, quarantine or reject)")
        }
        record.policy = .none
        record.warnings.append("p= is missing, so receivers read the policy as none; RFC 7489 receivers want p= written")
    }

    private mutating func addAdvice() {
        if record.policy == .none {
            record.warnings.append("p=none: monitoring only; mail failing DMARC is delivered as usual")
        }
        if record.subdomainPolicy == DMARCPolicy.none, record.policy != .none {
            record.warnings.append("sp tag value of none leaves subdomains unprotected although p=\(record.policy.rawValue)")
        }
        if rules == .rfc7489, record.percent < 100, record.policy != .none {
            record.warnings.append(
                "pct=\(record.percent): only \(record.percent)% of failing mail gets p=\(record.policy.rawValue); the rest gets \(record.policy.milder.rawValue)")
        }
        if record.aggregateReports.isEmpty {
            record.warnings.append("no rua=: nobody receives aggregate reports, so failing senders go unnoticed")
        }
        if record.failureOptions != ["0"], record.failureReports.isEmpty {
            record.warnings.append("fo= has no effect without ruf=")
        }
        if record.failureOptions.contains("0"), record.failureOptions.contains("1") {
            record.warnings.append("fo=0:1 is redundant: 1 already asks for a report when either check fails")
        }
        if record.testing {
            record.warnings.append("t=y: testing; receivers apply one step milder than the policy says")
        }
    }

    /// Items of a list, whitespace around each removed, empty items dropped.
    static func list(_ value: String, separator: Character) -> [String] {
        value.split(separator: separator).map { $0.trimmingASCIIWhitespace() }.filter { !$0.isEmpty }
    }

    /// Digits only, at most `maximumDigits` of them.
    static func number(_ value: String, maximumDigits: Int) -> Int? {
        guard !value.isEmpty, value.utf8.count <= maximumDigits,
              value.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(value)
    }
}

extension Substring {
    fileprivate func trimmingASCIIWhitespace() -> String {
        String(decoding: DKIMTagList.trimFWS(ArraySlice(Array(utf8))), as: UTF8.self)
    }
}
