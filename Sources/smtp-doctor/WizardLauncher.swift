import ArgumentParser
import Foundation
import Diagnosis
import MailAuth
import Report
import Synchronization
import Probes
import TerminalUI

/// Opens the wizard with the command line's target as the form's defaults.
enum WizardLauncher {
    static func launch(_ options: TargetOptions, crashAfterStart: Bool, strayOutput: Bool = false) throws -> Int32 {
        _ = try options.resolveSymptom()
        let (mode, server, source) = try options.validateCommon()
        var host = ""
        if let given = options.host {
            guard case .success(let parsed) = TargetHost.parse(given) else {
                _ = try options.resolved()  // throws the precise message
                return ExitStatus.usage
            }
            host = parsed.description
        }
        let family: FamilyPreference = options.ipv4Only ? .ipv4Only : (options.ipv6Only ? .ipv6Only : .any)
        var target = Target(host: host, port: options.port, tls: mode, controlPort: options.controlPort,
                            family: family, timeoutSeconds: options.timeout)
        target.stageOverrides = options.stageOverrides
        // The spam family's settings the form does not show.
        for zone in options.dnsbl {
            if let problem = Blocklist.validateZone(zone) { throw ValidationError("invalid --dnsbl: \(SafeArgument.clean(problem))") }
        }
        target.dnsblZones = options.dnsbl.map { $0.lowercased() }
        if options.helo != nil { target.heloName = try options.validatedHelo() }
        let log = try options.openLog()
        let resolver = try TargetOptions.makeResolver(server, timeout: options.timeout)
        // The form's credentials live here, with the probe client: never in the model's state or a report.
        let box = CredentialBox()
        let mechanism = try options.credentialsMechanism()
        let plaintext = options.allowPlaintextAuth
        let client = LiveProbeClient.make(resolver: resolver, sourceIP: source, trust: try options.trust(),
                                          helo: try options.validatedHelo(), credentials: { box.value }).logged(to: log)
        var model = WizardModel(target: target, prefilledHost: !host.isEmpty)
        model.form.domain = String((options.domain ?? "").prefix(253))
        model.form.sendingIP = String((options.sendingIP ?? "").prefix(45))
        model.form.selector = String((options.dkimSelector.first ?? "").prefix(63))
        let recentFile = RecentTargetsFile.defaultPath().map(RecentTargetsFile.init)
        if let recentFile {
            let (targets, note) = recentFile.load()
            model.recent = targets
            if let note {
                model.notice = Notice(note, isProblem: true)
                log?.write(note)
            }
        }
        var wizardOptions = common(log: log, crashAfterStart: crashAfterStart)
        wizardOptions.strayOutputAfterStart = strayOutput
        wizardOptions.useCredentials = { user, password in
            box.value = SMTPCredentials(user: user, secret: password, mechanism: mechanism, allowPlaintext: plaintext)
        }
        wizardOptions.explain = { request in await WizardExplainer.explain(request, resolver: resolver) }
        wizardOptions.saveReport = { state, request in save(ReportDocument(state), request) }
        wizardOptions.rememberTargets = { targets in
            guard let recentFile else { return nil }
            do {
                try recentFile.save(targets)
                return nil
            } catch {
                return "recent targets not kept: \(error)"
            }
        }
        let ready = model
        let options = wizardOptions
        return try MainActor.assumeIsolated {
            try WizardApp.run(model: ready, client: client, options: options)
        }
    }

    /// `smtp-doctor show`: a saved report in the same screens, read-only.
    static func show(_ document: ReportDocument, restored: ReportDocument.Restored, source: String, log: DiagnosticLog?) throws -> Int32 {
        let state = restored.state
        var model = WizardModel(target: state.target, prefilledHost: true)
        model.menuIndex = WizardModel.menu.firstIndex(of: state.symptom) ?? 0
        model.diagnosis = state
        model.screen = state.verdict == nil ? .steps : .verdict
        model.selectedStep = state.steps.firstIndex { $0.status == .confirmed } ?? 0
        model.readOnly = ReadOnlyReport(source: (source as NSString).lastPathComponent, generatedAt: document.generatedAt,
                                        toolVersion: document.tool.version, transcript: document.transcript)
        let notes = restored.notes.isEmpty ? "" : " Note: " + restored.notes.joined(separator: "; ") + "."
        model.notice = Notice("Saved \(document.generatedAt) by smtp-doctor \(document.tool.version): read-only, r runs nothing.\(notes)",
                              isProblem: !restored.notes.isEmpty)
        log?.write("show \(source): \(document.symptom) report, verdict \(document.verdict.cause)")
        var options = common(log: log, crashAfterStart: false)
        // Saving again writes the report as it was read (cleaned), not a rebuilt one.
        options.saveReport = { _, request in save(document, request) }
        // Nothing is ever probed: the reducer refuses to start a run in read-only mode.
        let client = ProbeClient { request in .resolution(HostResolution(host: request.probeName)) }
        let ready = model
        let wizardOptions = options
        return try MainActor.assumeIsolated {
            try WizardApp.run(model: ready, client: client, options: wizardOptions)
        }
    }

    /// The options every wizard shares: the log, and stray output sent into it.
    static func common(log: DiagnosticLog?, crashAfterStart: Bool) -> WizardApp.Options {
        WizardApp.Options(crashAfterStart: crashAfterStart, log: { log?.write($0) }, strayOutput: log?.fd ?? -1)
    }

    static func save(_ document: ReportDocument, _ request: ReportSaveRequest) -> ReportSaveOutcome {
        switch ReportFiles.save(document, json: request.jsonPath, markdown: request.markdownPath, overwrite: request.overwrite) {
        case .saved: return .saved(json: request.jsonPath, markdown: request.markdownPath)
        case .exists(let files): return .exists(files)
        case .failed(let reason): return .failed(reason)
        }
    }
}

/// The credentials typed in the wizard, shared with the probe client's tasks.
final class CredentialBox: Sendable {
    private let stored = Mutex<SMTPCredentials?>(nil)
    var value: SMTPCredentials? {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}
