namespace CodingAgent.Model;

/// <summary>
/// The one catalog of the product's public error codes: a run's or turn's <c>error.code</c>, and the <c>code</c> of the
/// problem documents the application layer's refusals become. <c>Api.ProblemCodes</c> adds the HTTP-only ones.
/// </summary>
public static class ErrorCodes
{
    // A run's or a turn's error.
    public const string PhaseFailed = "phase_failed";
    public const string SandboxLost = "sandbox_lost";
    public const string TeardownFailed = "teardown_failed";
    public const string OrchestrationMissing = "orchestration_missing";
    public const string TurnMissing = "turn_missing";
    public const string TurnCancelled = "turn_cancelled";
    public const string TurnNotStarted = "turn_not_started";
    public const string TurnTimeout = "turn_timeout";
    public const string AgentError = "agent_error";
    public const string AgentProtocolError = "agent_protocol_error";
    public const string ValidationError = "validation_error";
    public const string PublishFailed = "publish_failed";

    // Refusals of the application layer (every front door answers them the same way).
    public const string RateLimited = "rate_limited";
    public const string TooManyActiveSessions = "too_many_active_sessions";
    public const string TooManyQueuedTurns = "too_many_queued_turns";
    public const string RepositoryNotAllowed = "repository_not_allowed";
}
