using CodingAgent.Model;

namespace CodingAgent.Api;

/// <summary>The stable <c>code</c> member of problem documents: the HTTP-only codes, and the application's from <see cref="ErrorCodes"/>.</summary>
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
    public const string RateLimited = ErrorCodes.RateLimited;
    public const string TooManyActiveSessions = ErrorCodes.TooManyActiveSessions;
    public const string NoTurnRunning = "no_turn_running";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string InternalError = "internal_error";
    public const string ModelProviderUnreachable = "model_provider_unreachable";
    public const string RepositoryNotAllowed = ErrorCodes.RepositoryNotAllowed;
    public const string TooManyQueuedTurns = ErrorCodes.TooManyQueuedTurns;
    public const string TooManyStreams = "too_many_streams";
}
