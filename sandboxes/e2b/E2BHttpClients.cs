using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace CodingAgent.Sandboxes.E2B;

/// <summary>How a call may be repeated: only a refusal (429) is retried for calls that are not idempotent.</summary>
internal enum E2BCall
{
    Idempotent,
    NotIdempotent,
}

/// <summary>
/// The HTTP clients of the E2B provider and their resilience pipelines, one per call type. The HTTP layer retries only
/// what is safe and quick (a 429 after its Retry-After, or a transient failure of an idempotent call), at most
/// <see cref="MaxRetries"/> times within <see cref="ApiTotalTimeout"/>; everything else fails the activity, whose durable
/// retry (3 attempts) and idempotent design (a sandbox is found again by its run-id tag) take over.
/// </summary>
public static class E2BHttpClients
{
    public const string Api = "e2b-api";
    public const string Envd = "e2b-envd";
    public const string EnvdStream = "e2b-envd-stream";
    public const int MaxRetries = 3;

    internal static readonly HttpRequestOptionsKey<E2BCall> CallKind = new("CodingAgent.E2BCall");
    private static readonly TimeSpan ApiTotalTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan ApiAttemptTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan EnvdAttemptTimeout = TimeSpan.FromSeconds(60);
    /// <summary>The longest Retry-After a call waits out; E2B asking for longer fails the call (the durable retry comes later).</summary>
    internal static readonly TimeSpan LongestRetryAfter = TimeSpan.FromSeconds(20);

    public static IServiceCollection AddE2BHttpClients(this IServiceCollection services)
    {
        // Control plane: short calls; create is never repeated after it may have reached E2B.
        services.AddHttpClient(Api, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler(Api, pipeline => pipeline
                .AddTimeout(ApiTotalTimeout)
                .AddRetry(Retry(transientIsRetryable: true))
                .AddTimeout(ApiAttemptTimeout));

        // envd unary calls and file transfers: a 502 here means the sandbox is gone, which a retry cannot change.
        services.AddHttpClient(Envd, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler(Envd, pipeline => pipeline
                .AddRetry(Retry(transientIsRetryable: false))
                .AddTimeout(EnvdAttemptTimeout));

        // envd process streams last as long as their command: no timeout here (the caller's token bounds them).
        services.AddHttpClient(EnvdStream, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler(EnvdStream, pipeline => pipeline.AddRetry(Retry(transientIsRetryable: false)));
        return services;
    }

    private static HttpRetryStrategyOptions Retry(bool transientIsRetryable) => new()
    {
        MaxRetryAttempts = MaxRetries,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = TimeSpan.FromSeconds(1),
        ShouldRetryAfterHeader = false,
        ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, transientIsRetryable)),
        DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome)),
    };

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, bool transientIsRetryable)
    {
        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } refused)
        {
            // Refused before anything happened: safe for every call, unless E2B asks for a longer wait than a call may hold
            // on; retrying earlier would only be refused again, so the call fails and says how long E2B asked for.
            return RetryAfter(refused) is not { } wait || wait <= LongestRetryAfter;
        }

        bool idempotent = context.GetRequestMessage() is { } request
            && (!request.Options.TryGetValue(CallKind, out E2BCall kind) || kind == E2BCall.Idempotent);
        if (!transientIsRetryable || !idempotent)
        {
            return false;
        }

        return outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException
            || outcome.Result?.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
    }

    /// <summary>
    /// E2B's Retry-After, capped (a 429 asking for longer is not retried at all, but a retried 503 may carry one too);
    /// null falls back to the exponential back-off.
    /// </summary>
    private static TimeSpan? RetryAfter(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response && RetryAfter(response) is { } wait ? (wait < LongestRetryAfter ? wait : LongestRetryAfter) : null;

    /// <summary>How long the answer asks to wait: Retry-After in seconds, or as a date counted from the answer's own Date.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        RetryConditionHeaderValue? retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta;
        }

        if (retryAfter?.Date is { } date)
        {
            TimeSpan wait = date - (response.Headers.Date ?? TimeProvider.System.GetUtcNow());
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
