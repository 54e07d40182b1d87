import Diagnosis
import Probes

/// The screens of the wizard.
public enum Screen: Sendable, Equatable {
    case menu
    case form
    case steps
    case verdict
    /// The "explain an error" input: pasted text or a file.
    case explainInput
    /// The explanation and the checks it suggests.
    case explainResult
}

/// The target form: what is typed, which field has focus, what is wrong with it.
public struct TargetForm: Sendable, Equatable {
    public enum Field: Int, CaseIterable, Sendable {
        case host, port, tls, preset, user, password, domain, sendingIP, selector, run
    }

    public var host: String
    public var port: String
    public var tls: TLSMode
    public var focus: Field = .host
    /// For the authentication family: the user name, and the password, shown only as asterisks.
    public var user = ""
    public var password = Secret("")
    public var asksForCredentials = false
    /// The provider preset last chosen (nil: none).
    public var preset: Int?
    /// For the spam family: the sender's domain, the sending address, a DKIM selector.
    public var asksForSender = false
    public var domain = ""
    public var sendingIP = ""
    public var selector = ""

    /// Fills host, port and TLS mode from a provider preset.
    public mutating func choosePreset(_ index: Int?) {
        preset = index
        guard let index, ProviderCatalogue.all.indices.contains(index) else { return }
        let provider = ProviderCatalogue.all[index]
        host = provider.hosts.first ?? provider.hostPatterns.first?.replacingOccurrences(of: "*", with: "us-east-1") ?? host
        if let first = provider.ports.first {
            port = String(first.port)
            tls = first.tls
        }
    }

    /// The fields in the order Tab visits them.
    public var fields: [Field] {
        if asksForSender { return [.domain, .sendingIP, .selector, .run] }
        let server: [Field] = [.host, .port, .tls, .preset]
        return server + (asksForCredentials ? [.user, .password] : []) + [.run]
    }

    public init(host: String = "", port: Int = 587, tls: TLSMode = .auto) {
        self.host = host
        self.port = String(port)
        self.tls = tls
    }

    /// The problem with the host as typed, if any (checked on every key).
    public var hostProblem: String? {
        if host.isEmpty { return "type the mail server's host name or IP address" }
        if case .failure(let problem) = TargetHost.parse(host) { return problem.description }
        return nil
    }

    /// A recognised provider, or the provider host this one is a typing mistake of.
    public var hostHint: String? {
        if let guess = ProviderCatalogue.nearMiss(host) { return "did you mean \(guess)?" }
        if let provider = ProviderCatalogue.provider(for: host) { return "\(provider.name): \(provider.portSummary)" }
        return nil
    }

    public var portProblem: String? {
        guard let value = Int(port) else { return port.isEmpty ? "type a port (587, 465, 25 or 2525)" : "the port must be a number" }
        return (1...65535).contains(value) ? nil : "the port must be between 1 and 65535"
    }

    public var credentialsProblem: String? {
        guard asksForCredentials else { return nil }
        if user.isEmpty { return "type the user name to log in with" }
        if password.isEmpty { return "type the password (it is never shown or saved)" }
        return nil
    }

    public var domainProblem: String? {
        if domain.isEmpty { return "type the domain in your From address (example.com)" }
        guard case .success(.name(let name)) = TargetHost.parse(domain), name.contains(".") else {
            return "not a domain name; type it as in the From address, e.g. example.com"
        }
        return nil
    }

    public var sendingIPProblem: String? {
        guard !sendingIP.isEmpty else { return nil }
        return IPAddress(sendingIP) == nil ? "not an IP address (192.0.2.10 or 2001:db8::10)" : nil
    }

    public var selectorProblem: String? {
        guard !selector.isEmpty else { return nil }
        let ok = selector.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
            }
        }
        return ok ? nil : "letters, digits, - and _ only"
    }

    /// The first problem of the fields shown, for the status line.
    public var firstProblem: String? {
        if asksForSender { return domainProblem ?? sendingIPProblem ?? selectorProblem }
        return hostProblem ?? portProblem ?? credentialsProblem
    }

    public var isValid: Bool { firstProblem == nil }
}

/// The whole wizard as a value: screen, menu, form, the diagnosis in progress.
public struct WizardModel: Sendable, Equatable {
    public var screen: Screen = .menu
    public var menuIndex = 0
    public var form: TargetForm
    /// The defaults the form cannot edit (control port, family, timeout).
    public var baseTarget: Target
    public var diagnosis: DiagnosisState?
    public var selectedStep = 0
    public var scroll = 0
    public var spinner = 0
    public var showHelp = false
    /// How far the help is scrolled.
    public var helpScroll = 0
    /// The evidence view open over the screen (transcript, DNS, certificates, timing, ports, commands).
    public var panel: EvidencePanel?
    public var status: String?
    public var rows = 24
    public var columns = 80
    public var explainForm = ExplainForm()
    /// The last explanation; nil while one is being worked out.
    public var explanation: ExplainOutcome?
    public var explaining = false
    /// Saving the report (`s`): the prompt while it is open.
    public var savePrompt: SavePrompt?
    /// A one-line message over the key bar until the next key (the saved paths, why r is off).
    public var notice: Notice?
    /// Set while a saved report is shown (`smtp-doctor show`): nothing is run again.
    public var readOnly: ReadOnlyReport?
    /// Recently checked targets, newest first (the menu lists them; never a password or user name).
    public var recent: [RecentTarget] = []

    public init(target: Target, prefilledHost: Bool) {
        baseTarget = target
        form = TargetForm(host: prefilledHost ? target.host : "", port: target.port, tls: target.tls)
    }

    public static let menu: [Symptom] = [.refused, .auth, .timeout, .spam, .explain]

    /// The target the form describes, with the defaults it cannot edit.
    public var formTarget: Target? {
        if form.asksForSender {
            guard form.isValid, case .success(.name(let domain)) = TargetHost.parse(form.domain) else { return nil }
            var target = baseTarget
            target.host = domain.lowercased()
            target.domain = domain.lowercased()
            target.sendingIP = form.sendingIP.isEmpty ? nil : IPAddress(form.sendingIP)
            target.dkimSelectors = form.selector.isEmpty ? [] : [form.selector.lowercased()]
            target.user = nil
            return target
        }
        guard form.isValid, case .success(let host) = TargetHost.parse(form.host), let port = Int(form.port) else { return nil }
        var target = baseTarget
        target.host = host.description
        target.port = port
        target.tls = form.tls
        target.user = form.asksForCredentials ? form.user : nil
        return target
    }
}
