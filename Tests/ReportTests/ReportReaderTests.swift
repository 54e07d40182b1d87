@testable import Diagnosis
import Foundation
@testable import Probes
@testable import Report
import XCTest

/// `smtp-doctor show` reads files anyone may send: wrong types, missing
/// fields, huge strings and escape sequences end in a clear message or a
/// safe rendering, never a crash, and never reach the terminal raw.
final class ReportReaderTests: XCTestCase {
    /// A finished refused check of 192.0.2.7:25: every port refused.
    private func portClosed() -> ReportDocument {
        var state = DiagnosisState(target: Target(host: "192.0.2.7", port: 25), symptom: .refused)
        let effects = DiagnosisReducer.reduce(&state, .started)
        guard case .run(let request, let runID) = effects.first else { fatalError("no probe") }
        let address = IPAddress("192.0.2.7")!
        let results = state.target.portsToScan.map { PortProbeResult(address: address, port: $0, state: .refused, elapsedMs: 2) }
        _ = DiagnosisReducer.reduce(&state, .probeFinished(runID: runID, request: request,
                                                           observation: .portScan(PortScan(results: results, deadlineMs: 5000)), durationMs: 9))
        XCTAssertEqual(state.phase, .finished)
        return ReportDocument(state, generatedAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    private func json(_ document: ReportDocument) -> Data { Data(ReportFormat.json.render(document).utf8) }

    private func object(_ document: ReportDocument) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: json(document)) as? [String: Any])
    }

    private func data(_ object: Any) throws -> Data { try JSONSerialization.data(withJSONObject: object) }

    private func problem(_ data: Data, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            let document = try ReportReader.decode(data)
            _ = try document.restored()
            XCTFail("accepted", file: file, line: line)
            return ""
        } catch let problem as ReportReader.Problem {
            return problem.description
        } catch {
            XCTFail("not a clear message: \(error)", file: file, line: line)
            return ""
        }
    }

    func testASavedReportReadsBackAsTheSameScreens() throws {
        let original = portClosed()
        let read = try ReportReader.decode(json(original))
        XCTAssertEqual(read, original)
        let restored = try read.restored()
        XCTAssertEqual(restored.notes, [])
        let state = restored.state
        XCTAssertEqual(state.phase, .finished)
        XCTAssertEqual(state.symptom, .refused)
        XCTAssertEqual(state.target.host, "192.0.2.7")
        XCTAssertEqual(state.target.port, 25)
        XCTAssertEqual(state.verdict?.cause, .portClosed)
        XCTAssertEqual(state.verdict?.summary, original.verdict.summary)
        XCTAssertEqual(state.remediation, original.remediation)
        XCTAssertEqual(state.steps.map(\.hypothesis), original.steps.map(\.hypothesis))
        XCTAssertEqual(state.steps.map(\.status.rawValue), original.steps.map(\.outcome))
        XCTAssertEqual(state.steps.map(\.evidence), original.steps.map(\.evidence))
        XCTAssertFalse(state.steps.first { $0.status == .confirmed }?.why.isEmpty ?? true, "why comes back from the tree")
        // And the report made from the restored state says the same.
        let again = ReportDocument(state, generatedAt: Date(timeIntervalSince1970: 1_700_000_000))
        XCTAssertEqual(again.verdict, original.verdict)
        XCTAssertEqual(again.steps, original.steps)
        XCTAssertEqual(again.remediation, original.remediation)
    }

    func testNotJSONOrNotAReport() {
        XCTAssertEqual(problem(Data("hello".utf8)), "it is not a JSON object (a report starts with {)")
        XCTAssertEqual(problem(Data("[1,2]".utf8)), "it is not a JSON object (a report starts with {)")
        XCTAssertEqual(problem(Data("{\"tool\": ".utf8)), "it is not valid JSON")
        XCTAssertEqual(problem(Data([0x7b, 0xff, 0xfe, 0x00])), "it is not valid JSON")
        XCTAssertEqual(problem(Data("{}".utf8)), "the field tool is missing")
        XCTAssertEqual(problem(Data()), "it is not a JSON object (a report starts with {)")
    }

    func testMissingFieldsAndWrongTypesAreNamed() throws {
        var o = try object(portClosed())
        o["verdict"] = ["summary": "x"]
        XCTAssertEqual(problem(try data(o)), "the field verdict.cause is missing")
        o = try object(portClosed())
        var target = o["target"] as! [String: Any]
        target["port"] = "25"
        o["target"] = target
        XCTAssertEqual(problem(try data(o)), "the field target.port should be a whole number")
        o = try object(portClosed())
        var steps = o["steps"] as! [[String: Any]]
        steps[2]["evidence"] = "not a list"
        o["steps"] = steps
        XCTAssertEqual(problem(try data(o)), "the field steps[2].evidence should be a list")
        o = try object(portClosed())
        o["remediation"] = NSNull()
        XCTAssertEqual(problem(try data(o)), "the field remediation is null; it should be a list")
        o = try object(portClosed())
        o["steps"] = ["a": 1]
        XCTAssertEqual(problem(try data(o)), "the field steps should be a list")
        o = try object(portClosed())
        target = o["target"] as! [String: Any]
        target["port"] = 1e300
        o["target"] = target
        let huge = problem(try data(o))
        XCTAssertTrue(huge.hasPrefix("the field target.port") || huge == "it is not valid JSON", huge)
        o = try object(portClosed())
        o["tool"] = ["name": "other-tool", "version": "1"]
        XCTAssertEqual(problem(try data(o)), "it was not written by smtp-doctor (tool.name is \"other-tool\")")
        o = try object(portClosed())
        o["symptom"] = "bogus\u{1b}[31m"
        XCTAssertEqual(problem(try data(o)), "its symptom \"bogus\\x1B[31m\" is not one smtp-doctor knows")
    }

    func testDeepNestingIsRefusedNotACrash() {
        let deep = "{\"tool\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        XCTAssertFalse(problem(Data(deep.utf8)).isEmpty)
    }

    func testEscapeSequencesInEveryTextFieldAreMadeVisible() throws {
        let evil = "\u{1b}]0;pwned\u{07}\u{1b}[2J\u{9b}31m\r"
        var o = try object(portClosed())
        func poison(_ value: Any) -> Any {
            if let text = value as? String { return text + evil }
            if let list = value as? [Any] { return list.map(poison) }
            if let map = value as? [String: Any] { return map.mapValues(poison) }
            return value
        }
        o = poison(o) as! [String: Any]
        // Keys the restore needs to recognise stay as they were, so the rest is shown.
        o["tool"] = ["name": "smtp-doctor", "version": "0.1.0" + evil]
        o["symptom"] = "refused"
        let document = try ReportReader.decode(try data(o))
        let restored = try document.restored()
        var shown: [String] = [document.generatedAt, document.tool.version, document.target.host, document.verdict.summary]
        shown += document.steps.flatMap { [$0.hypothesis, $0.id, $0.outcome] + $0.evidence }
        shown += document.findings.flatMap { [$0.summary, $0.cause] + $0.evidence } + document.remediation + document.transcript
        shown += restored.notes + restored.state.steps.flatMap { [$0.hypothesis] + $0.evidence } + [restored.state.target.host]
        for format in ReportFormat.allCases where format != .json { shown.append(format.render(document)) }
        for text in shown {
            XCTAssertFalse(text.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x9b || $0.value == 0x07 || $0.value == 0x0d }, text)
        }
        XCTAssertTrue(document.verdict.summary.hasSuffix("\\x1B]0;pwned\\x07\\x1B[2J\\x9B31m\\x0D"), document.verdict.summary)
        XCTAssertNil(restored.state.verdict, "the poisoned cause is not a known cause")
        XCTAssertTrue(restored.notes.contains { $0.contains("is not a cause this version knows") }, "\(restored.notes)")
    }

    func testHugeStringsAndListsAreCut() throws {
        var o = try object(portClosed())
        var verdict = o["verdict"] as! [String: Any]
        verdict["summary"] = String(repeating: "A", count: 8 * 1024 * 1024)
        o["verdict"] = verdict
        o["transcript"] = Array(repeating: "line", count: 5000)
        let document = try ReportReader.decode(try data(o))
        XCTAssertEqual(document.verdict.summary.count, ReportReader.textLimit + " ...(cut)".count)
        XCTAssertEqual(document.transcript.count, ReportReader.listLimit + 1)
        XCTAssertEqual(document.transcript.last, "...(4000 more lines cut)")
    }

    func testFilesTooLargeOrNotFilesAreRefused() throws {
        let directory = NSTemporaryDirectory() + "sd-reader-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let big = directory + "/big.json"
        XCTAssertTrue(FileManager.default.createFile(atPath: big, contents: nil))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: big))
        try handle.truncate(atOffset: UInt64(ReportReader.fileLimit + 1))
        try handle.close()
        XCTAssertThrowsError(try ReportReader.read(path: big)) { error in
            XCTAssertTrue("\(error)".contains("reports larger than 16 MiB are not read"), "\(error)")
        }
        XCTAssertThrowsError(try ReportReader.read(path: directory)) { XCTAssertTrue("\($0)".contains("is not a regular file"), "\($0)") }
        XCTAssertThrowsError(try ReportReader.read(path: directory + "/absent\u{1b}[2J.json")) {
            XCTAssertTrue("\($0)".contains("absent\\x1B[2J.json"), "\($0)")
        }
        let good = directory + "/good.json"
        try json(portClosed()).write(to: URL(fileURLWithPath: good))
        XCTAssertEqual(try ReportReader.read(path: good).verdict.cause, "port-closed")
    }

    func testUnknownCausesAndOutcomesAreNotedNotFatal() throws {
        var o = try object(portClosed())
        var steps = o["steps"] as! [[String: Any]]
        steps[0]["outcome"] = "exploded"
        o["steps"] = steps
        o["findings"] = [["cause": "from-the-future", "severity": "error", "summary": "s", "evidence": []]]
        let restored = try ReportReader.decode(try data(o)).restored()
        XCTAssertEqual(restored.state.steps[0].status, .inconclusive)
        XCTAssertEqual(restored.state.verdict?.cause, .portClosed)
        XCTAssertEqual(restored.notes.count, 2, "\(restored.notes)")
    }

    func testTheTicketSummary() {
        let summary = ReportFormat.summary.render(portClosed())
        let lines = summary.split(separator: "\n")
        XCTAssertTrue((5...10).contains(lines.count), summary)
        XCTAssertEqual(lines[0], "smtp-doctor 0.1.0, 2023-11-14T22:13:20Z: refused check of 192.0.2.7 port 25")
        XCTAssertTrue(lines[1].hasPrefix("Verdict: port-closed - 192.0.2.7"), summary)
        XCTAssertTrue(summary.contains("Confirmed: Nothing listens on the requested port"), summary)
        XCTAssertTrue(summary.contains("Fix: 1. "), summary)
        XCTAssertTrue(lines.allSatisfy { $0.count <= SummaryRenderer.lineLimit })
    }
}
