import Inet

/// Reads one space-free term; positions are offsets in the whole record.
struct SPFTermReader {
    let scalars: ArraySlice<Unicode.Scalar>
    var text: String { String(String.UnicodeScalarView(scalars)) }

    func error(_ position: Int, _ message: String) -> SPFSyntaxError {
        SPFSyntaxError(position: position, term: text, message: message)
    }

    func read() -> Result<SPFTerm, SPFSyntaxError> {
        if let bad = scalars.firstIndex(where: { !(0x21...0x7E).contains($0.value) }) {
            let hex = String(scalars[bad].value, radix: 16, uppercase: true)
            let name = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            return .failure(error(bad, "character \(name) is not allowed: records are printable ASCII, terms separated by spaces"))
        }
        let kind: Result<SPFTerm.Kind, SPFSyntaxError>
        if let separator = scalars.firstIndex(where: { $0 == "=" || $0 == ":" || $0 == "/" }), scalars[separator] == "=" {
            kind = readModifier(nameEnd: separator)
        } else {
            kind = readDirective()
        }
        return kind.map { SPFTerm(kind: $0, text: text, position: scalars.startIndex) }
    }

    // MARK: Modifiers (RFC 7208 6, 12)

    private func readModifier(nameEnd: Int) -> Result<SPFTerm.Kind, SPFSyntaxError> {
        let name = String(String.UnicodeScalarView(scalars[scalars.startIndex..<nameEnd]))
        let valid = name.unicodeScalars.first.map(isAlpha) == true
            && name.unicodeScalars.allSatisfy { isAlpha($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }
        guard valid else {
            return .failure(error(scalars.startIndex, "\"\(name)\" is not a valid modifier name"))
        }
        let value = scalars[(nameEnd + 1)...]
        switch name.lowercased() {
        case "redirect":
            return domainSpec(value, after: nameEnd, what: "redirect=").map { .modifier(.redirect($0)) }
        case "exp":
            return domainSpec(value, after: nameEnd, what: "exp=").map { .modifier(.explanation($0)) }
        default:
            return macroString(value, grammar: .modifierValue).map { .modifier(.unknown(name: name, value: $0)) }
        }
    }

    // MARK: Directives (RFC 7208 4.6.2, 5)

    private func readDirective() -> Result<SPFTerm.Kind, SPFSyntaxError> {
        var start = scalars.startIndex
        var qualifier = SPFQualifier.pass
        if let parsed = SPFQualifier(rawValue: String(scalars[start])) {
            qualifier = parsed
            start += 1
        }
        let nameEnd = scalars[start...].firstIndex { $0 == ":" || $0 == "/" } ?? scalars.endIndex
        let name = String(String.UnicodeScalarView(scalars[start..<nameEnd])).lowercased()
        let rest = scalars[nameEnd...]
        let mechanism: Result<SPFMechanism, SPFSyntaxError>
        switch name {
        case "all":
            mechanism = rest.isEmpty ? .success(.all) : .failure(error(nameEnd, "\"all\" takes no argument"))
        case "include":
            mechanism = requiredDomain(rest, name: name).map { .include($0) }
        case "exists":
            mechanism = requiredDomain(rest, name: name).map { .exists($0) }
        case "a", "mx":
            mechanism = domainAndCIDR(rest).map { name == "a" ? .a($0.0, $0.1) : .mx($0.0, $0.1) }
        case "ptr":
            if rest.isEmpty {
                mechanism = .success(.ptr(nil))
            } else if rest.first == ":" {
                mechanism = domainSpec(rest.dropFirst(), after: nameEnd, what: "ptr:").map { .ptr($0) }
            } else {
                mechanism = .failure(error(nameEnd, "\"ptr\" takes no CIDR length"))
            }
        case "ip4", "ip6":
            mechanism = network(rest, family: name == "ip4" ? .ipv4 : .ipv6)
        case "":
            mechanism = .failure(error(start, "mechanism name missing"))
        default:
            mechanism = .failure(error(start, "unknown mechanism \"\(name)\""))
        }
        return mechanism.map { .directive(qualifier, $0) }
    }

    private func requiredDomain(_ rest: ArraySlice<Unicode.Scalar>, name: String) -> Result<SPFMacroString, SPFSyntaxError> {
        guard rest.first == ":" else {
            return .failure(error(rest.startIndex, "\"\(name)\" needs \":\" and a domain"))
        }
        return domainSpec(rest.dropFirst(), after: rest.startIndex, what: name + ":")
    }

    /// `[ ":" domain-spec ] [ dual-cidr-length ]`: the CIDR suffix is taken
    /// from the end, because a domain-spec may itself hold "/" and ":".
    private func domainAndCIDR(_ rest: ArraySlice<Unicode.Scalar>) -> Result<(SPFMacroString?, SPFDualCIDR), SPFSyntaxError> {
        var body = rest
        var cidr = SPFDualCIDR()
        let digits6 = trailingDigits(body)
        if digits6.startIndex > body.startIndex + 1, !digits6.isEmpty,
           body[digits6.startIndex - 1] == "/", body[digits6.startIndex - 2] == "/" {
            switch prefixLength(digits6, max: 128) {
            case .failure(let failure): return .failure(failure)
            case .success(let length): cidr.ipv6 = length
            }
            body = body[..<(digits6.startIndex - 2)]
        }
        let digits4 = trailingDigits(body)
        if digits4.startIndex > body.startIndex, !digits4.isEmpty, body[digits4.startIndex - 1] == "/" {
            switch prefixLength(digits4, max: 32) {
            case .failure(let failure): return .failure(failure)
            case .success(let length): cidr.ipv4 = length
            }
            body = body[..<(digits4.startIndex - 1)]
        }
        if body.isEmpty { return .success((nil, cidr)) }
        guard body.first == ":" else {
            return .failure(error(body.startIndex, "expected \":domain\" or a CIDR length like /24 or //64"))
        }
        return domainSpec(body.dropFirst(), after: body.startIndex, what: "the mechanism").map { ($0, cidr) }
    }

    private func network(_ rest: ArraySlice<Unicode.Scalar>, family: IPAddress.Family) -> Result<SPFMechanism, SPFSyntaxError> {
        let name = family == .ipv4 ? "ip4" : "ip6"
        guard rest.first == ":" else { return .failure(error(rest.startIndex, "\"\(name)\" needs \":\" and an address")) }
        let value = rest.dropFirst()
        let slash = value.firstIndex(of: "/") ?? value.endIndex
        let addressText = String(String.UnicodeScalarView(value[..<slash]))
        let address = family == .ipv4 ? SPFTermReader.strictIPv4(addressText) : SPFTermReader.strictIPv6(addressText)
        guard let address else {
            return .failure(error(value.startIndex, "\"\(addressText)\" is not a valid \(family.rawValue) address"))
        }
        var length = family == .ipv4 ? 32 : 128
        if slash < value.endIndex {
            let digits = value[(slash + 1)...]
            guard !digits.isEmpty, digits.allSatisfy({ ("0"..."9").contains($0) }) else {
                return .failure(error(slash, "a CIDR length is \"/\" and a number"))
            }
            switch prefixLength(digits, max: length) {
            case .failure(let failure): return .failure(failure)
            case .success(let parsed): length = parsed
            }
        }
        return .success(family == .ipv4 ? .ip4(address, prefixLength: length) : .ip6(address, prefixLength: length))
    }

    // MARK: Pieces

    private func domainSpec(_ value: ArraySlice<Unicode.Scalar>, after: Int, what: String) -> Result<SPFMacroString, SPFSyntaxError> {
        guard !value.isEmpty else { return .failure(error(after, "\(what) needs a domain")) }
        return macroString(value, grammar: .domainSpec)
    }

    private func macroString(_ value: ArraySlice<Unicode.Scalar>, grammar: SPFMacroString.Grammar) -> Result<SPFMacroString, SPFSyntaxError> {
        SPFMacroString.parse(value, grammar: grammar).mapError { error(value.startIndex + $0.offset, $0.message) }
    }

    private func trailingDigits(_ body: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        var start = body.endIndex
        while start > body.startIndex, ("0"..."9").contains(body[start - 1]) { start -= 1 }
        return body[start...]
    }

    /// ip4-cidr-length / ip6-cidr-length: no leading zero, within the family's bits.
    private func prefixLength(_ digits: ArraySlice<Unicode.Scalar>, max: Int) -> Result<Int, SPFSyntaxError> {
        let text = String(String.UnicodeScalarView(digits))
        guard text.count <= 3, let value = Int(text), value <= max else {
            return .failure(error(digits.startIndex, "CIDR length /\(text) is not a number from 0 to \(max)"))
        }
        guard text == "0" || !text.hasPrefix("0") else {
            return .failure(error(digits.startIndex, "CIDR length /\(text) has a leading zero"))
        }
        return .success(value)
    }

    private func isAlpha(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    /// ip4-network (RFC 7208 5.6): four decimal numbers, no leading zeros, nothing omitted.
    static func strictIPv4(_ text: String) -> IPAddress? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  part == "0" || !part.hasPrefix("0"), let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return IPAddress(ipv4Bytes: bytes)
    }

    /// ip6-network: an RFC 4291 address, without brackets or zone.
    static func strictIPv6(_ text: String) -> IPAddress? {
        guard text.contains(":"), text.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit || $0 == ":" || $0 == "." }),
              let address = IPAddress(text), address.family == .ipv6 else { return nil }
        return address
    }
}
