import ArgumentParser
import Diagnosis
import MailAuth
import Synchronization
import Probes
import TerminalUI

/// Opens the wizard with the command line's target as the form's defaults.
enum WizardLauncher {
    static func launch(_ options: TargetOptions, crashAfterStart: Bool) throws -> Int32 {
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
        let resolver = try TargetOptions.makeResolver(server, timeout: options.timeout)
        // The form's credentials live here, with the probe client: never in the model's state or a report.
        let box = CredentialBox()
        let mechanism = try options.credentialsMechanism()
        let plaintext = options.allowPlaintextAuth
        let client = LiveProbeClient.make(resolver: resolver, sourceIP: source, trust: try options.trust(),
                                          helo: try options.validatedHelo(), credentials: { box.value })
        var model = WizardModel(target: target, prefilledHost: !host.isEmpty)
        model.form.domain = String((options.domain ?? "").prefix(253))
        model.form.sendingIP = String((options.sendingIP ?? "").prefix(45))
        model.form.selector = String((options.dkimSelector.first ?? "").prefix(63))
        return try MainActor.assumeIsolated {
            try WizardApp.run(model: model, client: client, options: .init(
                crashAfterStart: crashAfterStart,
                useCredentials: { user, password in
                    box.value = SMTPCredentials(user: user, secret: password, mechanism: mechanism, allowPlaintext: plaintext)
                },
                explain: { request in await WizardExplainer.explain(request, resolver: resolver) }))
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
