/// Builds the flat part list; state lives here so limits are global to one message.
struct MIMETreeBuilder {
    let limits: MIMELimits
    var parts: [MIMEPart] = []
    var problems: [String] = []
    /// Bytes that may still be decoded to open base64 or quoted-printable
    /// embedded messages: nesting cannot multiply the input's size in memory.
    var decodeBudget: Int

    init(limits: MIMELimits) {
        self.limits = limits
        decodeBudget = limits.maxInputBytes
    }

    mutating func note(_ problem: String) {
        if !problems.contains(problem) { problems.append(problem) }
    }

    mutating func parse(_ bytes: [UInt8], _ range: Range<Int>, depth: Int, parent: Int?, defaultType: MIMEContentType) {
        guard parts.count < limits.maxParts else {
            note("More than \(limits.maxParts) MIME parts: the rest were not read.")
            return
        }
        let startsMessage = depth == 0 || parent.map { parts[$0].isMessageWrapper } ?? false
        let parsed = MIMEHeaderParser.parse(bytes, range, limits: limits, topLevel: startsMessage)
        parsed.problems.forEach { note($0) }
        let header = parsed.header
        var contentType = defaultType
        if let value = header["Content-Type"] {
            contentType = MIMEContentType(parsing: value) ?? .textPlain
        }
        let encoding = (header["Content-Transfer-Encoding"] ?? "7bit").lowercased().mimeTrimmed()
        let body = bytes[parsed.bodyStart..<range.upperBound]
        let index = parts.count
        parts.append(MIMEPart(header: header, contentType: contentType, transferEncoding: encoding,
                              depth: depth, parent: parent, rawBody: body))
        if let parent { parts[parent].children.append(index) }

        let opensChildren = contentType.isMultipart || parts[index].isMessageWrapper
        guard opensChildren else { return }
        guard depth < limits.maxDepth else {
            note("MIME parts nested deeper than \(limits.maxDepth) levels: the inner ones were not opened.")
            return
        }
        if contentType.isMultipart {
            parseMultipart(bytes, parsed.bodyStart..<range.upperBound, index: index, depth: depth)
        } else if encoding == "base64" || encoding == "quoted-printable" {
            guard body.count <= decodeBudget else {
                note("Encoded embedded messages larger than the input itself: the rest were not opened.")
                return
            }
            decodeBudget -= body.count
            let decoded = MIMETransferEncoding.decode(body, encoding: encoding, limit: limits.maxInputBytes)
            parse(decoded, 0..<decoded.count, depth: depth + 1, parent: index, defaultType: .textPlain)
        } else {
            parse(bytes, parsed.bodyStart..<range.upperBound, depth: depth + 1, parent: index, defaultType: .textPlain)
        }
    }

    private mutating func parseMultipart(_ bytes: [UInt8], _ range: Range<Int>, index: Int, depth: Int) {
        let type = parts[index].contentType
        guard let boundary = type.boundary else {
            note("A multipart part has no boundary: read as plain text.")
            return
        }
        var split = MIMEBoundarySplitter.split(bytes, range, boundary: boundary, maxParts: limits.maxParts)
        if !split.foundDelimiter, let guessed = MIMEBoundarySplitter.guessBoundary(bytes, range) {
            // Seen in real bounces: the header's boundary differs from the one the body uses.
            note("A multipart boundary does not match the one its body uses: the body's was used.")
            split = MIMEBoundarySplitter.split(bytes, range, boundary: guessed, maxParts: limits.maxParts)
        }
        guard split.foundDelimiter else {
            note("A multipart boundary never appears in its body: read as plain text.")
            return
        }
        if !split.closed { note("A multipart body ends without its closing boundary.") }
        let childDefault: MIMEContentType = type.subtype == "digest" ? .messageRFC822 : .textPlain
        for partRange in split.parts {
            parse(bytes, partRange, depth: depth + 1, parent: index, defaultType: childDefault)
        }
    }
}
