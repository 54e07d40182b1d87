import CSupport
import Diagnosis
import Foundation
import Probes
import Synchronization

/// The wizard's runtime: one loop on the main thread owns the terminal. It
/// draws, reads keys (100 ms at a time), collects finished probes, reduces,
/// and starts effects. Probes run in tasks and never touch the screen.
public enum WizardApp {
    public struct Options: Sendable {
        public var crashAfterStart: Bool
        /// Receives the credentials typed in the form, for the probe client only.
        public var useCredentials: @Sendable (String, Secret) -> Void
        /// Works out an explanation of pasted text or a file (runs off the main loop).
        public var explain: @Sendable (ExplainRequest) async -> ExplainOutcome
        public init(crashAfterStart: Bool = false, useCredentials: @escaping @Sendable (String, Secret) -> Void = { _, _ in },
                    explain: @escaping @Sendable (ExplainRequest) async -> ExplainOutcome = { _ in
                        ExplainOutcome(title: "Explaining is not available here.", lines: [], checks: []) }) {
            self.crashAfterStart = crashAfterStart
            self.useCredentials = useCredentials
            self.explain = explain
        }
    }

    /// Runs until the person quits. Returns the exit status.
    @MainActor
    public static func run(model initial: WizardModel, client: ProbeClient, options: Options = .init()) throws -> Int32 {
        let terminal = try Terminal()
        defer { terminal.shutdown() }
        let inbox = Inbox()
        var model = initial
        let (rows, columns) = terminal.size
        _ = WizardReducer.reduce(&model, .resized(rows: rows, columns: columns))
        if options.crashAfterStart {
            terminal.draw(WizardView.render(model))
            // A deliberate crash for the terminal-restore test (hidden flag).
            let crash: [Int] = []
            _ = crash[Int(getpid()) % 2 + 1]
        }
        var lastTick = ContinuousClock.now
        while true {
            terminal.draw(WizardView.render(model))
            var actions: [WizardAction] = []
            if let key = terminal.readKey() { actions.append(key) }
            actions += inbox.drain()
            if ContinuousClock.now - lastTick >= .milliseconds(100) {
                lastTick = .now
                actions.append(.tick)
            }
            for action in actions {
                for effect in WizardReducer.reduce(&model, action) {
                    switch effect {
                    case .quit:
                        return 0
                    case .useCredentials(let user, let password):
                        options.useCredentials(user, password)
                    case .explain(let request):
                        let explain = options.explain
                        Task.detached {
                            inbox.post(.explained(await explain(request)))
                        }
                    case .perform(let diagnosisEffect):
                        Task.detached {
                            let finished = await DiagnosisEngine.perform(diagnosisEffect, client: client)
                            inbox.post(.diagnosis(DiagnosisActionBox(finished)))
                        }
                    }
                }
            }
        }
    }
}

/// Where finished probes leave their results for the main loop.
final class Inbox: Sendable {
    private let pending = Mutex<[WizardAction]>([])

    func post(_ action: WizardAction) {
        pending.withLock { $0.append(action) }
    }

    func drain() -> [WizardAction] {
        pending.withLock { actions in
            defer { actions.removeAll() }
            return actions
        }
    }
}
