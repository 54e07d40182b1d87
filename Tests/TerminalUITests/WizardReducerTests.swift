import Diagnosis
import Probes
@testable import TerminalUI
import XCTest

/// The wizard's navigation as data: keys in, screens and effects out.
final class WizardReducerTests: XCTestCase {
    private func model(host: String = "") -> WizardModel {
        WizardModel(target: Target(host: host, port: 587), prefilledHost: !host.isEmpty)
    }

    @discardableResult
    private func press(_ model: inout WizardModel, _ keys: Key...) -> [WizardEffect] {
        var effects: [WizardEffect] = []
        for key in keys { effects += WizardReducer.reduce(&model, .key(key)) }
        return effects
    }

    func testMenuMovesAndWraps() {
        var m = model()
        press(&m, .up)
        XCTAssertEqual(m.menuIndex, WizardModel.menu.count - 1)
        press(&m, .down)
        XCTAssertEqual(m.menuIndex, 0)
    }

    func testEveryMenuEntryOpensItsScreen() {
        for (index, symptom) in WizardModel.menu.enumerated() {
            var m = model()
            press(&m, .char(Character(String(index + 1))))
            XCTAssertEqual(m.screen, symptom == .explain ? .explainInput : .form, "\(symptom)")
            XCTAssertNil(m.status)
        }
    }

    func testAuthFormAsksForCredentialsAndNeverKeepsThemInTheState() {
        var m = model(host: "mail.example.test")
        press(&m, .down, .enter)
        XCTAssertTrue(m.form.asksForCredentials)
        XCTAssertEqual(m.form.fields, [.host, .port, .tls, .preset, .user, .password, .run])
        XCTAssertEqual(press(&m, .enter), [], "no credentials yet: Enter moves on")
        XCTAssertEqual(m.form.focus, .port)
        XCTAssertEqual(m.form.credentialsProblem, "type the user name to log in with")
        press(&m, .tab, .tab, .tab)
        XCTAssertEqual(m.form.focus, .user)
        for c in "bob" { press(&m, .char(c)) }
        press(&m, .tab)
        for c in "pässwörd" { press(&m, .char(c)) }
        press(&m, .backspace, .char("d"))
        XCTAssertEqual(m.form.password, Secret("pässwörd"))
        let effects = press(&m, .enter)
        XCTAssertEqual(effects.first, .useCredentials(user: "bob", password: Secret("pässwörd")))
        XCTAssertEqual(m.diagnosis?.target.user, "bob")
        XCTAssertFalse(String(describing: m.diagnosis as Any).contains("pässwörd"), "the diagnosis state never holds the password")
        XCTAssertFalse(WizardView.render(m).text.contains("pässwörd"))
    }

    func testProviderPresetFillsHostPortAndTLS() {
        var m = model()
        press(&m, .enter, .tab, .tab, .tab)
        XCTAssertEqual(m.form.focus, .preset)
        press(&m, .right)
        XCTAssertEqual(m.form.host, "smtp.gmail.com")
        XCTAssertEqual(m.form.port, "587")
        XCTAssertEqual(m.form.tls, .starttls)
        press(&m, .left)
        XCTAssertNil(m.form.preset)
        press(&m, .left)
        XCTAssertEqual(m.form.host, "smtp.mail.me.com", "Left from none wraps to the last provider")
        XCTAssertTrue(WizardView.render(m).text.contains("< iCloud Mail >"))
    }

    func testEnterOnRefusedOpensTheForm() {
        var m = model()
        press(&m, .enter)
        XCTAssertEqual(m.screen, .form)
        XCTAssertEqual(m.form.focus, .host)
    }

    func testFormChecksTheHostAsTyped() {
        var m = model()
        press(&m, .enter)
        XCTAssertEqual(m.form.hostProblem, "type the mail server's host name or IP address")
        press(&m, .char("m"), .char("_"))
        XCTAssertNotNil(m.form.hostProblem)
        XCTAssertTrue(m.form.hostProblem!.contains("\"_\" is not allowed"))
        press(&m, .backspace)
        XCTAssertNil(m.form.hostProblem)
    }

    func testPortFieldTakesDigitsOnlyAndChecksTheRange() {
        var m = model()
        press(&m, .enter, .tab, .backspace, .backspace, .backspace, .char("x"), .char("9"), .char("9"), .char("9"), .char("9"), .char("9"), .char("9"))
        XCTAssertEqual(m.form.port, "99999")
        XCTAssertEqual(m.form.portProblem, "the port must be between 1 and 65535")
    }

    func testTLSModeCyclesWithArrows() {
        var m = model()
        press(&m, .enter, .tab, .tab)
        XCTAssertEqual(m.form.focus, .tls)
        press(&m, .right)
        XCTAssertEqual(m.form.tls, .starttls)
        press(&m, .left, .left)
        XCTAssertEqual(m.form.tls, TLSMode.none)
    }

    func testRunStartsTheDiagnosisAndAsksForTheLookup() {
        var m = model(host: "mail.example.test")
        let effects = press(&m, .enter, .enter)
        XCTAssertEqual(m.screen, .steps)
        XCTAssertEqual(effects, [.perform(.run(.resolveHost("mail.example.test", family: .any), runID: 1)),
                                 .rememberTargets([RecentTarget(symptom: .refused, host: "mail.example.test", port: 587, tls: .auto)])])
        XCTAssertEqual(m.diagnosis?.steps.first?.status, .running)
    }

    func testInvalidFormDoesNotStart() {
        var m = model()
        let effects = press(&m, .enter, .tab, .tab, .tab, .tab, .enter)
        XCTAssertEqual(effects, [])
        XCTAssertEqual(m.screen, .form)
        XCTAssertEqual(m.status, "type the mail server's host name or IP address")
    }

    func testFinishedDiagnosisShowsTheVerdictAndRerunBumpsTheRun() {
        var m = model(host: "192.0.2.1")
        let effects = press(&m, .enter, .enter).filter { if case .rememberTargets = $0 { return false } else { return true } }
        guard effects.count == 2, case .perform(.run(let request, let runID)) = effects[0],
              case .perform(.run(let smtp, runID)) = effects[1] else { return XCTFail("expected the scan and the SMTP session: \(effects)") }
        XCTAssertEqual(request.kind, .tcpConnect)
        XCTAssertEqual(smtp.kind, .smtp)
        let address = IPAddress("192.0.2.1")!
        let results = Target(host: "192.0.2.1").portsToScan.map { PortProbeResult(address: address, port: $0, state: .refused, elapsedMs: 1) }
        let action = DiagnosisAction.probeFinished(runID: runID, request: request, observation: .portScan(PortScan(results: results, deadlineMs: 5000)), durationMs: 3)
        _ = WizardReducer.reduce(&m, .diagnosis(DiagnosisActionBox(action)))
        XCTAssertEqual(m.screen, .verdict)
        XCTAssertEqual(m.diagnosis?.verdict?.cause, .portClosed)
        XCTAssertEqual(m.diagnosis?.steps[m.selectedStep].id, "port")
        let rerun = press(&m, .char("r"))
        XCTAssertEqual(m.diagnosis?.runID, 2, "the run number keeps counting")
        XCTAssertEqual(rerun, [.perform(.run(request, runID: 2)), .perform(.run(smtp, runID: 2))], "the same two probes, under the new run number")
        // The old run's result arrives late: ignored.
        _ = WizardReducer.reduce(&m, .diagnosis(DiagnosisActionBox(action)))
        XCTAssertEqual(m.diagnosis?.phase, .running)
    }

    func testBackGoesOneScreenUp() {
        var m = model(host: "192.0.2.1")
        press(&m, .enter, .enter)
        XCTAssertEqual(m.screen, .steps)
        press(&m, .escape)
        XCTAssertEqual(m.screen, .form)
        press(&m, .escape)
        XCTAssertEqual(m.screen, .menu)
    }

    func testArrowsInATextFieldDoNotChangeTheTLSMode() {
        var m = model()
        press(&m, .enter, .left, .right)
        XCTAssertEqual(m.form.tls, .auto)
    }

    func testBackspaceInAnEmptyTextFieldStaysInTheForm() {
        var m = model()
        press(&m, .enter, .backspace, .backspace, .char("2"))
        XCTAssertEqual(m.screen, .form)
        XCTAssertEqual(m.form.host, "2")
        press(&m, .tab, .tab, .backspace)
        XCTAssertEqual(m.screen, .menu, "Backspace on a choice field still goes back")
    }

    func testQuitKeys() {
        var m = model()
        XCTAssertEqual(press(&m, .char("q")), [.quit])
        var typing = model()
        press(&typing, .enter)
        XCTAssertEqual(press(&typing, .char("q")), [], "q is text in the form")
        XCTAssertEqual(typing.form.host, "q")
        XCTAssertEqual(press(&typing, .controlC), [.quit])
    }

    func testHelpOpensAndAnyKeyClosesIt() {
        var m = model()
        press(&m, .char("?"))
        XCTAssertTrue(m.showHelp)
        press(&m, .right)  // Up/Down and PgUp/PgDn scroll the help (HelpScreenTests)
        XCTAssertFalse(m.showHelp)
        XCTAssertEqual(m.menuIndex, 0, "the key that closes help does nothing else")
        XCTAssertEqual(m.screen, .menu)
    }

    func testResizeAndTickAreJustActions() {
        var m = model()
        _ = WizardReducer.reduce(&m, .resized(rows: 50, columns: 200))
        XCTAssertEqual(m.rows, 50)
        XCTAssertEqual(m.columns, 200)
        _ = WizardReducer.reduce(&m, .tick)
        XCTAssertEqual(m.spinner, 0, "no spinner while nothing runs")
    }
}
