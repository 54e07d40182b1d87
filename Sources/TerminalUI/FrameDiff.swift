/// A stretch of one row to write: where it starts and what goes there.
public struct FrameRun: Sendable, Equatable {
    public var row: Int
    public var column: Int
    public var spans: [Span]
    /// Clear from the end of the text to the end of the row (rows redrawn whole).
    public var clearToEnd: Bool

    /// How many cells the run writes (what a slow link pays for).
    public var cellCount: Int { spans.reduce(0) { $0 + $1.text.count } }
}

/// What to write to turn the previous frame into the next: only the cells
/// that differ, grouped in runs. Identical frames give no runs at all.
public enum FrameDiff {
    struct Cell: Equatable {
        var character: Character
        var style: Style
    }

    /// Unchanged cells shorter than this between two changes are rewritten
    /// rather than skipped: moving the cursor costs about as many bytes.
    public static let mergeGap = 6

    /// The runs that turn `old` into `new`. With no previous frame (or a new
    /// size) the screen is taken as blank, as `werase` leaves it.
    public static func runs(from old: Frame?, to new: Frame) -> [FrameRun] {
        let sameSize = old.map { $0.rows == new.rows && $0.columns == new.columns } ?? false
        var runs: [FrameRun] = []
        for row in 0..<new.rows {
            let next = row < new.lines.count ? new.lines[row] : .blank
            let previous: Line
            if sameSize, let old {
                previous = row < old.lines.count ? old.lines[row] : .blank
                if previous == next { continue }
            } else {
                previous = .blank
            }
            // A wide character (two cells) would shift every column after it:
            // such a row is written whole, from the left, and cleared after.
            if hasWideCharacters(next) || hasWideCharacters(previous) {
                runs.append(FrameRun(row: row, column: 0, spans: clipped(next, columns: new.columns), clearToEnd: true))
                continue
            }
            runs += changes(row: row, from: cells(previous, columns: new.columns), to: cells(next, columns: new.columns))
        }
        return runs
    }

    /// The row as exactly `columns` cells: clipped, then padded with blanks.
    static func cells(_ line: Line, columns: Int) -> [Cell] {
        var cells: [Cell] = []
        cells.reserveCapacity(columns)
        for span in line.spans {
            for character in span.text {
                if cells.count == columns { return cells }
                cells.append(Cell(character: character, style: span.style))
            }
        }
        while cells.count < columns { cells.append(Cell(character: " ", style: .normal)) }
        return cells
    }

    static func changes(row: Int, from old: [Cell], to new: [Cell]) -> [FrameRun] {
        var ranges: [ClosedRange<Int>] = []
        var index = 0
        while index < new.count {
            guard old[index] != new[index] else { index += 1; continue }
            var end = index
            while end + 1 < new.count, old[end + 1] != new[end + 1] { end += 1 }
            if let last = ranges.last, index - last.upperBound - 1 < mergeGap {
                ranges[ranges.count - 1] = last.lowerBound...end
            } else {
                ranges.append(index...end)
            }
            index = end + 1
        }
        return ranges.map { range in
            var spans: [Span] = []
            for cell in new[range] {
                if let last = spans.last, last.style == cell.style {
                    spans[spans.count - 1].text.append(cell.character)
                } else {
                    spans.append(Span(String(cell.character), cell.style))
                }
            }
            return FrameRun(row: row, column: range.lowerBound, spans: spans, clearToEnd: false)
        }
    }

    static func clipped(_ line: Line, columns: Int) -> [Span] {
        var left = columns
        var spans: [Span] = []
        for span in line.spans where left > 0 {
            let text = String(span.text.prefix(left))
            left -= text.count
            spans.append(Span(text, span.style))
        }
        return spans
    }

    /// East Asian wide and fullwidth characters, and emoji, take two cells.
    static func hasWideCharacters(_ line: Line) -> Bool {
        line.spans.contains { span in
            span.text.unicodeScalars.contains { $0.value >= 0x1100 && isWide($0.value) }
        }
    }

    private static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115f).contains(v) || (0x2e80...0xa4cf).contains(v) || (0xac00...0xd7a3).contains(v)
            || (0xf900...0xfaff).contains(v) || (0xfe30...0xfe4f).contains(v) || (0xff00...0xff60).contains(v)
            || (0xffe0...0xffe6).contains(v) || (0x1f300...0x1faff).contains(v) || (0x20000...0x3fffd).contains(v)
            || v == 0x231a || v == 0x231b || v == 0x23f3 || v == 0x2705 || v == 0x274c || (0x2614...0x2615).contains(v)
    }
}
