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
        var effects = DiagnosisReducer.reduce(&state, .started)
        onChange?(state)
        while !effects.isEmpty {
            let finished = await perform(effects, client: client)
            effects = []
            for action in finished {
                effects += DiagnosisReducer.reduce(&state, action)
            }
            onChange?(state)
        }
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

    public static func perform(_ effect: DiagnosisEffect, client: ProbeClient) async -> DiagnosisAction {
        switch effect {
        case .run(let request, let runID):
            let start = ContinuousClock.now
            let observation = await client.run(request)
            let elapsed = start.duration(to: .now)
            let ms = Int(elapsed.components.seconds) * 1000 + Int(elapsed.components.attoseconds / 1_000_000_000_000_000)
            return .probeFinished(runID: runID, request: request, observation: observation, durationMs: ms)
        }
    }
}
