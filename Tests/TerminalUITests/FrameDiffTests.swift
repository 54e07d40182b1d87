import Diagnosis
@testable import TerminalUI
import XCTest

/// Only changed cells are written, and nothing at all when nothing changed.
final class FrameDiffTests: XCTestCase {
    private func frame(_ lines: [String], rows: Int = 4, columns: Int = 20) -> Frame {
        Frame(rows: rows, columns: columns, lines: lines.map { Line($0) })
    }

    func testIdenticalFramesDrawNothing() {
        let a = frame(["title", "body", "", "keys"])
        XCTAssertEqual(FrameDiff.runs(from: a, to: a), [])
    }

    func testOneChangedCellDrawsOneCell() {
        let a = frame(["title", " | testing", "", "keys"])
        let b = frame(["title", " / testing", "", "keys"])
        let runs = FrameDiff.runs(from: a, to: b)
        XCTAssertEqual(runs, [FrameRun(row: 1, column: 1, spans: [Span("/")], clearToEnd: false)])
        XCTAssertEqual(runs.reduce(0) { $0 + $1.cellCount }, 1)
    }

    func testAStyleChangeAloneIsRedrawn() {
        let a = Frame(rows: 1, columns: 10, lines: [Line([Span("ab"), Span("cd")])])
        let b = Frame(rows: 1, columns: 10, lines: [Line([Span("ab"), Span("cd", .bold)])])
        XCTAssertEqual(FrameDiff.runs(from: a, to: b), [FrameRun(row: 0, column: 2, spans: [Span("cd", .bold)], clearToEnd: false)])
    }

    func testNearChangesMergeAndFarChangesStaySeparate() {
        let near = FrameDiff.runs(from: frame(["abcdefghij"]), to: frame(["Xbcdefghij".replacingOccurrences(of: "d", with: "Y")]))
        XCTAssertEqual(near.count, 1, "a gap of 2 cells is cheaper to rewrite than to jump over")
        XCTAssertEqual(near.first?.cellCount, 4)
        let far = FrameDiff.runs(from: frame(["a                  z"]), to: frame(["b                  y"]))
        XCTAssertEqual(far.map(\.column), [0, 19])
        XCTAssertEqual(far.reduce(0) { $0 + $1.cellCount }, 2)
    }

    func testShorterLineClearsOnlyWhatItLeaves() {
        let runs = FrameDiff.runs(from: frame(["hello world"]), to: frame(["hello"]))
        XCTAssertEqual(runs, [FrameRun(row: 0, column: 6, spans: [Span("     ")], clearToEnd: false)], "the blank at 5 was there already")
    }

    func testFirstFrameAndResizeDrawEverythingButBlanks() {
        let first = FrameDiff.runs(from: nil, to: frame(["ab", "", "", "  c"]))
        XCTAssertEqual(first.map(\.row), [0, 3])
        XCTAssertEqual(first.reduce(0) { $0 + $1.cellCount }, 3)
        let resized = FrameDiff.runs(from: frame(["ab"]), to: frame(["ab"], rows: 5, columns: 30))
        XCTAssertEqual(resized.map(\.row), [0], "a new size starts from a blank screen")
    }

    func testWideCharactersRedrawTheRowWhole() {
        let runs = FrameDiff.runs(from: frame(["名前 a"]), to: frame(["名前 b"]))
        XCTAssertEqual(runs, [FrameRun(row: 0, column: 0, spans: [Span("名前 b")], clearToEnd: true)])
    }

    func testLinesLongerThanTheScreenAreClipped() {
        let runs = FrameDiff.runs(from: nil, to: frame([String(repeating: "x", count: 50)]))
        XCTAssertEqual(runs.first?.cellCount, 20)
    }

    /// The wizard while a probe runs: a spinner tick changes a cell or two, not the screen.
    func testASpinnerTickOnTheStepsScreenDrawsLittle() {
        for (rows, columns) in [(24, 80), (50, 200)] {
            var m = WizardModel(target: Target(host: "192.0.2.1", port: 25), prefilledHost: true)
            _ = WizardReducer.reduce(&m, .resized(rows: rows, columns: columns))
            _ = WizardReducer.reduce(&m, .key(.enter))
            _ = WizardReducer.reduce(&m, .key(.enter))
            XCTAssertEqual(m.diagnosis?.phase, .running)
            let before = WizardView.render(m)
            _ = WizardReducer.reduce(&m, .tick)
            let after = WizardView.render(m)
            let runs = FrameDiff.runs(from: before, to: after)
            let cells = runs.reduce(0) { $0 + $1.cellCount }
            print("spinner tick at \(columns)x\(rows): \(runs.count) run(s), \(cells) cell(s)")
            XCTAssertGreaterThan(cells, 0, "the spinner moves")
            XCTAssertLessThanOrEqual(cells, 8, "\(columns)x\(rows): \(runs)")
            // A full repaint would be the whole screen.
            let full = FrameDiff.runs(from: nil, to: after).reduce(0) { $0 + $1.cellCount }
            XCTAssertGreaterThan(full, 20 * cells)
        }
    }

    func testAnIdleTickChangesNothing() {
        var m = WizardModel(target: Target(host: ""), prefilledHost: false)
        let before = m
        _ = WizardReducer.reduce(&m, .tick)
        XCTAssertEqual(m, before, "nothing runs: the spinner stays, the loop draws nothing")
    }
}
