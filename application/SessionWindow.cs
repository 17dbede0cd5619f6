using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Sandboxes;
using Microsoft.Extensions.Options;

namespace CodingAgent.Application;

/// <summary>
/// How long a run's sandbox must live: through a whole turn (and its validation and publish) while one runs, then
/// <c>idleTimeoutSeconds</c> past the turn's end, never past <c>maxLifetimeSeconds</c> and never past what the
/// provider's plan allows.
/// </summary>
public sealed class SessionWindow(
    ISandboxProvider sandboxes, IOptions<AgentOptions> agent, IOptions<ValidationOptions> validation, IOptions<PublishingOptions> publishing, TimeProvider time)
{
    // The sandbox is asked to live a while past the session, so an expired session is torn down before its sandbox ends.
    private static readonly TimeSpan SandboxOutlivesSession = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan TeardownMargin = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Before a turn: makes sure the sandbox outlives the turn's longest possible run, so a long turn never loses its
    /// sandbox to the idle window (which was sized for waiting, not working). Asks the provider only when it must.
    /// </summary>
    public async Task CoverTurnAsync(string sandboxId, RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        TimeSpan work = TimeSpan.FromSeconds(agent.Value.TurnTimeoutSeconds) + SandboxOutlivesSession;
        if (run.ValidationMode != ValidationModes.Minimal)
        {
            // The turn's command and, once per run, the same command on the base commit.
            work += 2 * TimeSpan.FromSeconds(run.ValidationTimeoutSeconds > 0 ? run.ValidationTimeoutSeconds : validation.Value.TimeoutSeconds);
        }

        if (run.PublishMode != PublishModes.None)
        {
            work += TimeSpan.FromSeconds(publishing.Value.PushTimeoutSeconds);
        }

        DateTimeOffset needed = time.GetUtcNow() + work;
        if (run.SessionExpiresAt is { } expires && expires + SandboxOutlivesSession >= needed)
        {
            return;
        }

        await sandboxes.SetTimeoutAsync(sandboxId, work, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After a turn: the session's new expiry, with the sandbox's own timeout set to match.</summary>
    public async Task<DateTimeOffset> ExtendAfterTurnAsync(string sandboxId, RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset expiresAt = Min(now.AddSeconds(run.IdleTimeoutSeconds), run.MaxExpiresAt);
        DateTimeOffset sandboxEnds = await sandboxes.SetTimeoutAsync(sandboxId, expiresAt - now + SandboxOutlivesSession, cancellationToken).ConfigureAwait(false);
        // A provider's plan may end the sandbox sooner than asked; the session then ends first, so teardown runs in time.
        return Min(expiresAt, sandboxEnds - TeardownMargin);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
