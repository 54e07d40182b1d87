/// When one probe ran, for the timing waterfall: its start on the runtime's
/// clock (milliseconds since `DiagnosisEngine.clockOrigin`) and how long it took.
/// The reducer only stores what the actions bring, so it stays pure.
public struct ProbeTiming: Sendable, Hashable {
    public var request: ProbeRequest
    public var startedAtMs: Int
    public var durationMs: Int

    public init(request: ProbeRequest, startedAtMs: Int, durationMs: Int) {
        self.request = request
        self.startedAtMs = startedAtMs
        self.durationMs = durationMs
    }

    public var kind: ProbeKind { request.kind }
    public var endedAtMs: Int { startedAtMs + durationMs }
}
