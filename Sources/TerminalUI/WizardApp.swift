import CSupport
import Diagnosis
import Foundation
import Probes
import Synchronization

/// The wizard's runtime: one loop on the main thread owns the terminal. It
/// reads keys (100 ms at a time while something runs, a second when idle), collects finished probes, reduces, starts
/// effects, and draws only when the model changed (an idle wizard writes
/// nothing). Probes run in tasks and never touch the screen.
public enum WizardApp {
    public struct Options: Sendable {
        public var crashAfterStart: Bool
        /// Writes to stdout and stderr once the screen is up (hidden flag): the test that nothing reaches the screen.
        public var strayOutputAfterStart = false
        /// Receives the credentials typed in the form, for the probe client only.
        public var useCredentials: @Sendable (String, Secret) -> Void
        /// Works out an explanation of pasted text or a file (runs off the main loop).
        public var explain: @Sendable (ExplainRequest) async -> ExplainOutcome
        /// Writes one line to the diagnostic log (--log); never given a secret.
        public var log: @Sendable (String) -> Void
        /// Where stray writes to stdout and stderr go while curses owns the screen (-1: /dev/null).
        public var strayOutput: Int32
        /// Writes the report of a finished diagnosis as JSON and Markdown.
        public var saveReport: @Sendable (DiagnosisState, ReportSaveRequest) -> ReportSaveOutcome
        /// Keeps the recent targets (the list, newest first); returns a problem to show, if any.
        public var rememberTargets: @Sendable ([RecentTarget]) -> String?

        public init(crashAfterStart: Bool = false, useCredentials: @escaping @Sendable (String, Secret) -> Void = { _, _ in },
                    explain: @escaping @Sendable (ExplainRequest) async -> ExplainOutcome = { _ in
                        ExplainOutcome(title: "Explaining is not available here.", lines: [], checks: []) },
                    log: @escaping @Sendable (String) -> Void = { _ in },
                    strayOutput: Int32 = -1,
                    saveReport: @escaping @Sendable (DiagnosisState, ReportSaveRequest) -> ReportSaveOutcome = { _, _ in
                        .failed("Saving is not available here.") },
                    rememberTargets: @escaping @Sendable ([RecentTarget]) -> String? = { _ in nil }) {
            self.crashAfterStart = crashAfterStart
            self.useCredentials = useCredentials
            self.explain = explain
            self.log = log
            self.strayOutput = strayOutput
            self.saveReport = saveReport
            self.rememberTargets = rememberTargets
        }
    }

    /// The exit status after the terminal hung up (128 + SIGHUP, as a shell reports it).
    public static let hangUpStatus: Int32 = 129

    /// Runs until the person quits (or the terminal goes away). Returns the exit status.
    @MainActor
    public static func run(model initial: WizardModel, client: ProbeClient, options: Options = .init()) throws -> Int32 {
        let terminal = try Terminal(strayOutput: options.strayOutput)
        defer {
            terminal.shutdown()
            options.log("wizard ended: \(terminal.framesDrawn) frames drawn, \(terminal.cellsWritten) cells written")
        }
        let inbox = Inbox()
        var model = initial
        let (rows, columns) = terminal.size
        options.log("wizard started: \(columns)x\(rows), \(terminal.capabilities)")
        _ = WizardReducer.reduce(&model, .resized(rows: rows, columns: columns))
        if options.strayOutputAfterStart {
            print("stray stdout line from smtp-doctor")
            FileHandle.standardError.write(Data("stray stderr line from smtp-doctor\n".utf8))
        }
        if options.crashAfterStart {
            terminal.draw(WizardView.render(model))
            // A deliberate crash for the terminal-restore test (hidden flag).
            let crash: [Int] = []
            _ = crash[Int(getpid()) % 2 + 1]
        }
        var drawn: WizardModel?
        var lastTick = ContinuousClock.now
        while true {
            if model != drawn {
                terminal.draw(WizardView.render(model))
                drawn = model
            }
            // Only a running probe or explanation needs the 100 ms tick; idle, the
            // loop wakes once a second (keys and resizes still come at once).
            terminal.setWait(milliseconds: model.diagnosis?.phase == .running || model.explaining ? 100 : 1000)
            var queue: [WizardAction] = []
            switch terminal.readKey(wakingOn: inbox.wakeFD) {
            case .action(let action): queue.append(action)
            case .nothing: break
            case .hangUp:
                options.log("the terminal hung up: leaving")
                return hangUpStatus
            }
            queue += inbox.drain()
            if ContinuousClock.now - lastTick >= .milliseconds(100) {
                lastTick = .now
                queue.append(.tick)
            }
            // Effects answered at once (the report path, the save) go back in the queue.
            while !queue.isEmpty {
                let action = queue.removeFirst()
                let before = model.diagnosis
                let effects = WizardReducer.reduce(&model, action)
                logProgress(before: before, after: model.diagnosis, log: options.log)
                for effect in effects {
                    switch effect {
                    case .quit:
                        return 0
                    case .useCredentials(let user, let password):
                        options.useCredentials(user, password)
                    case .explain(let request):
                        let explain = options.explain
                        options.log("explain started" + (request.path == nil ? " (pasted text)" : " (a file)"))
                        Task.detached {
                            inbox.post(.explained(await explain(request)))
                        }
                    case .perform(let diagnosisEffect):
                        Task.detached {
                            let finished = await DiagnosisEngine.perform(diagnosisEffect, client: client)
                            inbox.post(.diagnosis(DiagnosisActionBox(finished)))
                        }
                    case .proposeReportPath:
                        let target = model.diagnosis?.target ?? model.baseTarget
                        queue.append(.saving(.pathProposed(ReportPath.suggested(for: target, at: Date()))))
                    case .saveReport(let request):
                        guard let state = model.diagnosis else { break }
                        let outcome = options.saveReport(state, request)
                        switch outcome {
                        case .saved(let json, let markdown): options.log("report saved: \(json), \(markdown)")
                        case .exists(let files): options.log("report not saved yet: \(files.joined(separator: ", ")) exist")
                        case .failed(let reason): options.log("report not saved: \(reason)")
                        }
                        queue.append(.saving(.finished(outcome)))
                    case .rememberTargets(let targets):
                        if let problem = options.rememberTargets(targets) {
                            options.log(problem)
                            model.notice = Notice(problem, isProblem: true)
                        }
                    }
                }
            }
        }
    }

    /// Logs a run starting and its verdict (never a secret: the state holds none).
    static func logProgress(before: DiagnosisState?, after: DiagnosisState?, log: (String) -> Void) {
        guard let after else { return }
        if after.runID != before?.runID, after.phase != .ready {
            log("run \(after.runID) started: \(after.symptom.rawValue) check of \(after.target.shownTarget)")
        }
        if after.phase == .finished, before?.phase != .finished || before?.runID != after.runID {
            let verdict = after.verdict.map { "\($0.cause.rawValue): \($0.summary)" } ?? "none"
            log("run \(after.runID) verdict: \(verdict)")
        }
    }
}

/// Where finished probes leave their results for the main loop. Each post
/// also writes a byte to a pipe the loop waits on beside the keyboard, so a
/// result is taken at once, not at the next tick.
final class Inbox: Sendable {
    private let pending = Mutex<[WizardAction]>([])
    /// Readable when something was posted (-1 when no pipe could be made: the loop then finds results at its tick).
    let wakeFD: Int32
    private let wakeWriteFD: Int32

    init() {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends {
                _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            }
        } else {
            ends = [-1, -1]
        }
        wakeFD = ends[0]
        wakeWriteFD = ends[1]
    }

    deinit {
        if wakeFD >= 0 { close(wakeFD) }
        if wakeWriteFD >= 0 { close(wakeWriteFD) }
    }

    func post(_ action: WizardAction) {
        pending.withLock { $0.append(action) }
        guard wakeWriteFD >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(wakeWriteFD, &byte, 1)  // a full pipe already says "something is waiting"
    }

    func drain() -> [WizardAction] {
        if wakeFD >= 0 {
            var bytes = [UInt8](repeating: 0, count: 64)
            while read(wakeFD, &bytes, bytes.count) > 0 {}
        }
        return pending.withLock { actions in
            defer { actions.removeAll() }
            return actions
        }
    }
}
