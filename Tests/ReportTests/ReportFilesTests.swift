import Diagnosis
import Foundation
@testable import Report
import XCTest

/// The wizard's `s` writes JSON and Markdown side by side, never over an
/// existing file unless asked, with private modes.
final class ReportFilesTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "sd-files-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private var document: ReportDocument {
        ReportDocument(DiagnosisState(target: Target(host: "192.0.2.9"), symptom: .refused))
    }

    private func contents(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    func testSavesBothFilesPrivately() throws {
        let json = directory + "/r.json", md = directory + "/r.md"
        XCTAssertEqual(ReportFiles.save(document, json: json, markdown: md, overwrite: false), .saved)
        XCTAssertEqual(try ReportReader.read(path: json).target.host, "192.0.2.9")
        XCTAssertTrue(contents(md)?.hasPrefix("# smtp-doctor") == true)
        for path in [json, md] {
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
            XCTAssertEqual(mode?.intValue, 0o600, path)
        }
    }

    func testNeverOverwritesWithoutBeingAsked() throws {
        let json = directory + "/r.json", md = directory + "/r.md"
        try "keep me".write(toFile: md, atomically: true, encoding: .utf8)
        XCTAssertEqual(ReportFiles.save(document, json: json, markdown: md, overwrite: false), .exists([md]))
        XCTAssertFalse(FileManager.default.fileExists(atPath: json), "nothing written, not even the JSON")
        XCTAssertEqual(contents(md), "keep me")
        XCTAssertEqual(ReportFiles.save(document, json: json, markdown: md, overwrite: true), .saved)
        XCTAssertTrue(contents(md)?.hasPrefix("# smtp-doctor") == true)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).sorted(), ["r.json", "r.md"], "no temporary left")
    }

    func testADanglingLinkCountsAsExisting() throws {
        let json = directory + "/r.json"
        try FileManager.default.createSymbolicLink(atPath: json, withDestinationPath: directory + "/elsewhere")
        XCTAssertEqual(ReportFiles.save(document, json: json, markdown: directory + "/r.md", overwrite: false), .exists([json]))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/elsewhere"))
    }

    func testAnUnwritablePlaceSaysWhy() {
        guard case .failed(let reason) = ReportFiles.save(document, json: directory + "/no/such/dir/r.json",
                                                           markdown: directory + "/no/such/dir/r.md", overwrite: false) else {
            return XCTFail("saved in a directory that does not exist")
        }
        XCTAssertTrue(reason.contains("No such file or directory"), reason)
    }
}
