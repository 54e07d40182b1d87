import Diagnosis

/// Draws the wizard: a pure function from the model to a frame.
public enum WizardView {
    public static let minimumRows = 16
    public static let minimumColumns = 60

    public static func render(_ model: WizardModel) -> Frame {
        let rows = model.rows
        let columns = model.columns
        guard rows >= minimumRows, columns >= minimumColumns else {
            let message = ["Terminal too small", "need \(minimumColumns)x\(minimumRows), have \(columns)x\(rows)", "q quits"]
            return Frame(rows: rows, columns: columns, lines: message.map { Line(String($0.prefix(max(columns, 1)))) })
        }
        var layout = Layout(rows: rows, columns: columns)
        let body: Body
        if model.showHelp {
            body = HelpScreen.body(model, width: columns, height: rows - 2)
        } else if model.panel != nil {
            body = EvidenceScreen.body(model, width: columns, height: rows - 2)
        } else {
            switch model.screen {
            case .menu: body = MenuScreen.body(model, width: columns)
            case .form: body = FormScreen.body(model, width: columns)
            case .steps: body = StepsScreen.body(model, width: columns, height: rows - 2)
            case .verdict: body = VerdictScreen.body(model, width: columns, height: rows - 2)
            case .explainInput: body = ExplainInputScreen.body(model, width: columns, height: rows - 2)
            case .explainResult: body = ExplainResultScreen.body(model, width: columns, height: rows - 2)
            }
        }
        layout.title(body.title)
        layout.body(body.lines)
        layout.keys(body.keys)
        var cursor = body.cursor.map { (row: $0.row + 1, column: $0.column) }
        ReportOverlay.apply(model, to: &layout, cursor: &cursor)
        return Frame(rows: rows, columns: columns, lines: layout.lines, cursor: cursor)
    }
}

/// What a screen contributes: its title, body lines, key bar and cursor.
struct Body {
    var title: String
    var lines: [Line]
    var keys: String
    var cursor: (row: Int, column: Int)?
}

/// Places title, body and key bar on the screen, cutting what does not fit.
struct Layout {
    let rows: Int
    let columns: Int
    var lines: [Line]

    init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        lines = Array(repeating: .blank, count: rows)
    }

    mutating func title(_ text: String) {
        lines[0] = Line(pad(" " + text), .reverse)
    }

    mutating func body(_ body: [Line]) {
        for (i, line) in body.prefix(rows - 2).enumerated() { lines[i + 1] = clip(line) }
    }

    mutating func keys(_ text: String) {
        lines[rows - 1] = Line(pad(" " + text), .reverse)
    }

    func pad(_ text: String) -> String {
        let cut = String(text.prefix(columns))
        return cut + String(repeating: " ", count: max(0, columns - cut.count))
    }

    func clip(_ line: Line) -> Line {
        Line(FrameDiff.clipped(line, columns: columns))
    }
}

extension StepStatus {
    /// A fixed-width label for the steps list.
    func label(spinner: Int) -> (String, Style) {
        switch self {
        case .waiting: return ("  waiting   ", .dim)
        case .running: return ([" |", " /", " -", " \\"][spinner % 4] + " testing  ", .accent)
        case .confirmed: return ("  CONFIRMED ", .bad)
        case .ruledOut: return ("  ruled out ", .good)
        case .inconclusive: return ("  unclear   ", .warn)
        case .skipped: return ("  skipped   ", .dim)
        }
    }
}
