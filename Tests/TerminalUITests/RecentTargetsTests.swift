import Diagnosis
import Foundation
import Probes
@testable import TerminalUI
import XCTest

/// Recently used targets: kept under the XDG config directory, mode 0600,
/// ten at most, never a password or user name; a damaged file is ignored.
final class RecentTargetsTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "sd-recent-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private var file: RecentTargetsFile { RecentTargetsFile(path: directory + "/smtp-doctor/recent.json") }

    private let sample = [
        RecentTarget(symptom: .auth, host: "smtp.example.com", port: 587, tls: .starttls),
        RecentTarget(symptom: .spam, domain: "example.org", sendingIP: "192.0.2.10", selector: "s1"),
        RecentTarget(symptom: .refused, host: "2001:db8::25", port: 25, tls: .auto),
    ]

    func testTheXDGPlace() {
        XCTAssertEqual(RecentTargetsFile.defaultPath(environment: ["XDG_CONFIG_HOME": "/x/cfg", "HOME": "/home/a"]), "/x/cfg/smtp-doctor/recent.json")
        XCTAssertEqual(RecentTargetsFile.defaultPath(environment: ["XDG_CONFIG_HOME": "relative", "HOME": "/home/a"]),
                       "/home/a/.config/smtp-doctor/recent.json", "a relative XDG_CONFIG_HOME is ignored (XDG spec)")
        XCTAssertNil(RecentTargetsFile.defaultPath(environment: [:]))
    }

    func testRoundTripWithPrivateModes() throws {
        try file.save(sample)
        let (loaded, note) = file.load()
        XCTAssertEqual(loaded, sample)
        XCTAssertNil(note)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: directory + "/smtp-doctor")
        XCTAssertEqual((folder[.posixPermissions] as? NSNumber)?.intValue, 0o700)
        // Saved again over itself: no temporary file left behind.
        try file.save(Array(sample.prefix(1)))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory + "/smtp-doctor"), ["recent.json"])
    }

    func testADamagedFileIsIgnoredWithANote() throws {
        try FileManager.default.createDirectory(atPath: directory + "/smtp-doctor", withIntermediateDirectories: true)
        for garbage in ["{not json", "[]", "{\"version\":1,\"targets\":[{\"symptom\":\"nonsense\"}]}", String(repeating: "x", count: 300_000)] {
            try garbage.write(toFile: file.path, atomically: true, encoding: .utf8)
            let (loaded, note) = file.load()
            XCTAssertEqual(loaded, [], garbage.prefix(40).description)
            XCTAssertNotNil(note, garbage.prefix(40).description)
        }
        // Entries that no longer make a valid target are dropped, the others kept.
        let mixed = #"{"version":1,"targets":[{"symptom":"refused","host":"bad host\u001b[2J","port":25,"tls":"auto"},"#
            + #"{"symptom":"refused","host":"mail.example.net","port":99999,"tls":"auto"},"#
            + #"{"symptom":"timeout","host":"mail.example.net","port":465,"tls":"implicit"}]}"#
        try mixed.write(toFile: file.path, atomically: true, encoding: .utf8)
        let (loaded, note) = file.load()
        XCTAssertEqual(loaded, [RecentTarget(symptom: .timeout, host: "mail.example.net", port: 465, tls: .implicit)])
        XCTAssertEqual(note, "2 unusable recent targets ignored")
        XCTAssertEqual(RecentTargetsFile(path: directory + "/absent.json").load().note, nil, "no file yet: no note")
    }

    func testTenAtMostNewestFirstNoDuplicates() {
        var list: [RecentTarget] = []
        for i in 1...12 { list = RecentTarget.remembering(RecentTarget(symptom: .refused, host: "h\(i).example", port: 25, tls: .auto), in: list) }
        XCTAssertEqual(list.count, 10)
        XCTAssertEqual(list.first?.host, "h12.example")
        XCTAssertEqual(list.last?.host, "h3.example")
        list = RecentTarget.remembering(RecentTarget(symptom: .refused, host: "h5.example", port: 25, tls: .auto), in: list)
        XCTAssertEqual(list.count, 10)
        XCTAssertEqual(list.first?.host, "h5.example")
        XCTAssertEqual(list.filter { $0.host == "h5.example" }.count, 1)
    }

    /// A run remembers its target (no user name, no password); a letter on the menu fills the form again.
    func testTheWizardRemembersAndRefills() throws {
        var m = WizardModel(target: Target(host: "mail.example.test", port: 587), prefilledHost: true)
        _ = WizardReducer.reduce(&m, .key(.char("2")))
        m.form.user = "alice@example.test"
        m.form.password = Secret("s3cret-Pass")
        m.form.focus = .run
        let effects = WizardReducer.reduce(&m, .key(.enter))
        guard case .rememberTargets(let list)? = effects.last else { return XCTFail("\(effects)") }
        XCTAssertEqual(list, [RecentTarget(symptom: .auth, host: "mail.example.test", port: 587, tls: .auto)])
        let encoded = String(decoding: try JSONEncoder().encode(list), as: UTF8.self)
        XCTAssertFalse(encoded.contains("s3cret-Pass"))
        XCTAssertFalse(encoded.contains("alice"))

        var fresh = WizardModel(target: Target(host: ""), prefilledHost: false)
        fresh.recent = sample
        let menu = WizardView.render(fresh).text
        XCTAssertTrue(menu.contains("a  auth    smtp.example.com port 587, TLS starttls"), menu)
        XCTAssertTrue(menu.contains("b  spam    example.org from 192.0.2.10, selector s1"), menu)
        XCTAssertTrue(menu.contains("a-c recent"), menu)
        _ = WizardReducer.reduce(&fresh, .key(.char("b")))
        XCTAssertEqual(fresh.screen, .form)
        XCTAssertTrue(fresh.form.asksForSender)
        XCTAssertEqual(fresh.form.domain, "example.org")
        XCTAssertEqual(fresh.form.sendingIP, "192.0.2.10")
        XCTAssertEqual(fresh.form.focus, .run)
        XCTAssertNotNil(fresh.formTarget, "Enter runs it at once")
        _ = WizardReducer.reduce(&fresh, .key(.escape))
        _ = WizardReducer.reduce(&fresh, .key(.char("a")))
        XCTAssertEqual(fresh.form.host, "smtp.example.com")
        XCTAssertEqual(fresh.form.tls, .starttls)
        XCTAssertEqual(fresh.form.focus, .user, "the auth family asks for the login again")
        _ = WizardReducer.reduce(&fresh, .key(.escape))
        _ = WizardReducer.reduce(&fresh, .key(.char("j")))
        XCTAssertEqual(fresh.screen, .menu, "no tenth target: nothing happens")
    }
}
