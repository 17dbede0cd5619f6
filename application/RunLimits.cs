using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Storage;
using Microsoft.Extensions.Options;

namespace CodingAgent.Application;

/// <summary>A limit a request ran into, with how long the caller should wait before trying again.</summary>
public sealed record LimitExceeded(string Code, string Detail, int RetryAfterSeconds);

/// <summary>
/// Per-account limits on new runs: creations per minute, counted from the run table itself (ids encode time), so
/// every instance sees the same numbers (two racing creations may both pass it); and sessions active at once, held as
/// reserved slots (<see cref="ActiveSessionSlots"/>), which racing creations cannot exceed.
/// </summary>
public sealed class RunLimits(RunStore runs, ActiveSessionSlots sessions, IOptions<LimitOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private const int ActiveSessionRetryAfterSeconds = 30;

    public async Task<LimitExceeded?> CheckCreateAsync(string account, CancellationToken cancellationToken)
    {
        LimitOptions limits = options.Value;
        DateTimeOffset now = time.GetUtcNow();
        (string smallest, string largest) = RunIds.Range(now - Window, now + TimeSpan.FromSeconds(5));
        IReadOnlyList<DateTimeOffset> recent = await runs.CreatedSinceAsync(account, smallest, largest, cancellationToken).ConfigureAwait(false);
        if (recent.Count >= limits.RunCreationsPerMinute)
        {
            DateTimeOffset oldest = recent.Min();
            int wait = (int)Math.Ceiling((oldest + Window - now).TotalSeconds);
            return new LimitExceeded(ErrorCodes.RateLimited,
                $"At most {limits.RunCreationsPerMinute} runs may be created per account per minute.", Math.Max(1, wait));
        }

        return null;
    }

    /// <summary>Reserves one of the account's active-session slots for a new run, or says why not.</summary>
    public async Task<LimitExceeded?> ReserveSessionAsync(RunKey run, CancellationToken cancellationToken)
    {
        int limit = options.Value.ActiveSessionsPerAccount;
        return await sessions.TryReserveAsync(run, cancellationToken).ConfigureAwait(false)
            ? null
            : new LimitExceeded(ErrorCodes.TooManyActiveSessions,
                $"The account already has {limit} active runs (the limit); end a session or wait for one to expire.",
                ActiveSessionRetryAfterSeconds);
    }

    /// <summary>Prompts a run may hold queued behind its running turn.</summary>
    public int MaxQueuedTurns => options.Value.MaxQueuedTurns;

    public Task ReleaseSessionAsync(RunKey run, CancellationToken cancellationToken) =>
        sessions.ReleaseAsync(run, cancellationToken);
}
