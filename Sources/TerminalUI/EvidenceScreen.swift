import Diagnosis
import Probes

/// Draws an evidence view: one header line (position, search), then the
/// view's lines from `scroll`, search matches highlighted.
enum EvidenceScreen {
    /// Content rows on a screen of `rows`: all but the title, the header line and the key bar.
    static func viewport(rows: Int) -> Int { max(1, rows - 3) }

    /// Every line of a view at this width, before scrolling.
    static func content(_ model: WizardModel, _ kind: EvidencePanel.Kind, width: Int) -> [Line] {
        switch kind {
        case .transcript: return TranscriptView.lines(model.diagnosis, width: width)
        case .dnsRecords: return DNSRecordsView.lines(model.diagnosis, width: width)
        case .certificates: return CertificateView.lines(model.diagnosis, width: width)
        case .waterfall: return WaterfallView.lines(model.diagnosis, width: width)
        case .portGuide: return PortGuide.lines(model.diagnosis, width: width)
        case .commands: return CommandsView.lines(model, width: width)
        }
    }

    static func body(_ model: WizardModel, width: Int, height: Int) -> Body {
        guard let panel = model.panel else { return Body(title: "smtp-doctor", lines: [], keys: "Esc back") }
        let lines = content(model, panel.kind, width: width)
        let room = max(1, height - 1)
        let scroll = max(0, min(panel.scroll, lines.count - room))
        let matches = Search.matchingLines(lines, query: panel.query)
        let current = panel.match.flatMap { matches.indices.contains($0) ? matches[$0] : nil }

        var header: [Span]
        var cursor: (row: Int, column: Int)?
        if let draft = panel.draft {
            let shown = SafeText.clean(draft)
            header = [Span(" Search: ", .bold), Span(shown)]
            cursor = (row: 0, column: 9 + shown.count)
        } else {
            let last = min(lines.count, scroll + room)
            let position = lines.count <= room ? " all \(lines.count) lines" : " lines \(scroll + 1)-\(last) of \(lines.count)"
            header = [Span(position, .dim)]
            if !panel.query.isEmpty {
                let query = SafeText.clean(panel.query)
                header.append(Span(matches.isEmpty ? "   no match for \"\(query)\"" : "   \"\(query)\": \(matches.count) matching line\(matches.count == 1 ? "" : "s")"
                                   + (current.map { "   at line \($0 + 1)" } ?? ""), matches.isEmpty ? .warn : .accent))
            }
            if let note = panel.note { header.append(Span("   " + note, .warn)) }
        }
        var body = [Line(header)]
        for (offset, line) in lines.dropFirst(scroll).prefix(room).enumerated() {
            var shown = Search.highlight(line, query: panel.query)
            if scroll + offset == current { shown = Search.markCurrent(shown) }
            body.append(shown)
        }
        let typing = panel.draft != nil
        let keys = typing ? "type the text  Enter search  Backspace edit  Esc cancel"
            : KeyBar.text([("Up/Dn PgUp/PgDn scroll", 1), ("/ search", 0), ("n/N next/prev", 1), ("t d x w p c views", 2),
                           ("Esc back", 0), ("? help", 0), ("q quit", 1)], width: width - 1)
        return Body(title: "smtp-doctor - \(panel.kind.title)", lines: body, keys: keys, cursor: cursor)
    }
}

/// Case-insensitive search over a view's lines, and its highlighting.
enum Search {
    /// Where `query` occurs in `text`, as character offsets (case ignored).
    static func occurrences(in text: String, of query: String) -> [Range<Int>] {
        guard !query.isEmpty else { return [] }
        let haystack = text.map { String($0).lowercased() }
        let needle = query.map { String($0).lowercased() }
        guard needle.count <= haystack.count else { return [] }
        var found: [Range<Int>] = []
        var i = 0
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0] && Array(haystack[i..<(i + needle.count)]) == needle {
                found.append(i..<(i + needle.count))
                i += needle.count
            } else {
                i += 1
            }
        }
        return found
    }

    /// The indices of the lines that contain `query`.
    static func matchingLines(_ lines: [Line], query: String) -> [Int] {
        guard !query.isEmpty else { return [] }
        return lines.indices.filter { !occurrences(in: lines[$0].text, of: query).isEmpty }
    }

    /// The line with every occurrence of `query` drawn in reverse video.
    static func highlight(_ line: Line, query: String) -> Line {
        let ranges = occurrences(in: line.text, of: query)
        guard !ranges.isEmpty else { return line }
        var cells: [(Character, Style)] = []
        for span in line.spans { cells += span.text.map { ($0, span.style) } }
        for range in ranges { for i in range { cells[i].1 = .reverse } }
        return Line(regroup(cells))
    }

    /// The current match's line gets a `>` in its first column (every view line starts with a space).
    static func markCurrent(_ line: Line) -> Line {
        var cells: [(Character, Style)] = []
        for span in line.spans { cells += span.text.map { ($0, span.style) } }
        if cells.isEmpty { return Line(">", .bold) }
        if cells[0].0 == " " { cells[0] = (">", .bold) } else { cells.insert((">", .bold), at: 0) }
        return Line(regroup(cells))
    }

    static func regroup(_ cells: [(Character, Style)]) -> [Span] {
        var spans: [Span] = []
        for (character, style) in cells {
            if let last = spans.last, last.style == style {
                spans[spans.count - 1].text.append(character)
            } else {
                spans.append(Span(String(character), style))
            }
        }
        return spans
    }
}

/// Small helpers the views share.
enum ViewText {
    /// Wrapped text as lines with a first-line prefix and a continuation indent.
    static func wrapped(_ text: String, width: Int, first: String = " ", rest: String = "   ", style: Style = .normal) -> [Line] {
        let room = max(10, width - max(first.count, rest.count))
        return Wrap.lines(text, width: room).enumerated().map { Line(($0.offset == 0 ? first : rest) + $0.element, style) }
    }

    static func heading(_ text: String) -> Line { Line(" " + text, .bold) }

    /// Left-aligned in a column of `width` (cut when longer).
    static func column(_ text: String, _ width: Int) -> String {
        let cut = String(text.prefix(width))
        return cut + String(repeating: " ", count: max(0, width - cut.count))
    }

    /// Right-aligned in a column of `width`.
    static func right(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
