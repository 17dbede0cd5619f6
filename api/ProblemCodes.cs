namespace CodingAgent.Api;

/// <summary>The stable <c>code</c> member of problem documents (SPEC §3).</summary>
public static class ProblemCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string SessionInactive = "session_inactive";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string IdempotencyInProgress = "idempotency_in_progress";
    public const string PayloadTooLarge = "payload_too_large";
    public const string RateLimited = "rate_limited";
    public const string TooManyActiveSessions = "too_many_active_sessions";
    public const string NoTurnRunning = "no_turn_running";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string InternalError = "internal_error";
    public const string ModelProviderUnreachable = "model_provider_unreachable";
    public const string RepositoryNotAllowed = "repository_not_allowed";
    public const string TooManyQueuedTurns = "too_many_queued_turns";
    public const string TooManyStreams = "too_many_streams";
}
