/// How a piece of text is drawn.
public enum Style: Sendable, Equatable {
    case normal, bold, reverse, dim, good, bad, warn, accent
}

/// A run of text in one style.
public struct Span: Sendable, Equatable {
    public var text: String
    public var style: Style
    public init(_ text: String, _ style: Style = .normal) {
        self.text = text
        self.style = style
    }
}

/// One screen row.
public struct Line: Sendable, Equatable {
    public var spans: [Span]
    public init(_ spans: [Span]) { self.spans = spans }
    public init(_ text: String, _ style: Style = .normal) { self.spans = [Span(text, style)] }
    public static let blank = Line([])

    public var text: String { spans.map(\.text).joined() }
}

/// A whole screen as plain data: what `Terminal` draws, what tests read.
public struct Frame: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    public var lines: [Line]
    /// Where the cursor should stand (a text field), or nil to hide it.
    public var cursor: (row: Int, column: Int)?

    public init(rows: Int, columns: Int, lines: [Line], cursor: (row: Int, column: Int)? = nil) {
        self.rows = rows
        self.columns = columns
        self.lines = lines
        self.cursor = cursor
    }

    public static func == (a: Frame, b: Frame) -> Bool {
        a.rows == b.rows && a.columns == b.columns && a.lines == b.lines
            && a.cursor?.row == b.cursor?.row && a.cursor?.column == b.cursor?.column
    }

    /// The frame as text, one line per row: for tests and for the plain fallback.
    public var text: String { lines.map(\.text).joined(separator: "\n") }
}

/// Word-wraps text to a width; words longer than the width are cut.
enum Wrap {
    static func lines(_ text: String, width: Int) -> [String] {
        guard width > 4 else { return [String(text.prefix(max(width, 1)))] }
        var result: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            var word = Substring(word)
            while word.count > width {
                if !current.isEmpty { result.append(current); current = "" }
                result.append(String(word.prefix(width)))
                word = word.dropFirst(width)
            }
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                result.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty || result.isEmpty { result.append(current) }
        return result
    }
}
