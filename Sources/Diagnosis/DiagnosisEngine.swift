import Probes

/// Performs probes for the reducer. The live value calls the real probes;
/// tests pass a scripted one.
public struct ProbeClient: Sendable {
    public var run: @Sendable (ProbeRequest) async -> Observation

    public init(run: @escaping @Sendable (ProbeRequest) async -> Observation) {
        self.run = run
    }
}

/// Runs a diagnosis to its verdict without a screen: reduce, perform the
/// effects (concurrently), feed the observations back, until nothing is left.
public enum DiagnosisEngine {
    public static func run(target: Target, symptom: Symptom, client: ProbeClient,
                           onChange: (@Sendable (DiagnosisState) -> Void)? = nil) async -> DiagnosisState {
        var state = DiagnosisState(target: target, symptom: symptom)
        let (results, inbox) = AsyncStream.makeStream(of: DiagnosisAction.self)
        // Each probe runs in its own task and reports as soon as it is done; the
        // run ends at the verdict without waiting for probes no longer needed.
        func launch(_ effects: [DiagnosisEffect]) {
            for effect in effects {
                Task { inbox.yield(await perform(effect, client: client)) }
            }
        }
        launch(DiagnosisReducer.reduce(&state, .started))
        onChange?(state)
        if state.phase == .finished { return state }
        for await action in results {
            launch(DiagnosisReducer.reduce(&state, action))
            onChange?(state)
            if state.phase == .finished { break }
        }
        inbox.finish()
        return state
    }

    /// Runs every effect at once and returns their results as actions.
    public static func perform(_ effects: [DiagnosisEffect], client: ProbeClient) async -> [DiagnosisAction] {
        await withTaskGroup(of: DiagnosisAction.self) { group in
            for effect in effects {
                group.addTask { await perform(effect, client: client) }
            }
            var actions: [DiagnosisAction] = []
            for await action in group { actions.append(action) }
            return actions
        }
    }

    /// The zero of the probes' start times (`ProbeTiming.startedAtMs`): one clock for the whole process.
    public static let clockOrigin = ContinuousClock.now

    public static func perform(_ effect: DiagnosisEffect, client: ProbeClient) async -> DiagnosisAction {
        switch effect {
        case .run(let request, let runID):
            let origin = clockOrigin  // set on first use: read before the start is taken
            let start = ContinuousClock.now
            let observation = await client.run(request)
            let ms = start.duration(to: .now).milliseconds
            return .probeFinished(runID: runID, request: request, observation: observation, durationMs: ms,
                                  startedAtMs: origin.duration(to: start).milliseconds)
        }
    }
}
