using CodingAgent.Application.Model;
using CodingAgent.Hosting.Options;
using CodingAgent.Storage;
using Microsoft.Extensions.Options;

namespace CodingAgent.Application;

/// <summary>
/// <c>Limits:ActiveSessionsPerAccount</c> as a counter that holds under concurrency: a creation reserves a slot for its
/// run id before anything is written, teardown releases it. A slot whose run has finished, or never got written (a
/// crash mid-create), is taken back when the account is at its limit, so a lost release cannot lock an account out.
/// </summary>
public sealed class ActiveSessionSlots(SessionSlotStore slots, RunStore runs, IOptions<CodingAgentOptions> options, TimeProvider time)
{
    // A reservation whose run row is still missing after this long was left by a creation that died.
    private static readonly TimeSpan UnwrittenRunGrace = TimeSpan.FromMinutes(2);
    private const int MaxAttempts = 50;

    /// <summary>Reserves a slot for <paramref name="runId"/>; false when the account already holds the limit.</summary>
    public async Task<bool> TryReserveAsync(string account, string runId, CancellationToken cancellationToken)
    {
        int limit = options.Value.Limits.ActiveSessionsPerAccount;
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            SessionSlotStore.Slots read = await slots.ReadAsync(account, cancellationToken).ConfigureAwait(false);
            if (read.Runs.ContainsKey(runId))
            {
                return true; // a retried creation of the same run already holds its slot
            }

            Dictionary<string, DateTimeOffset> held = new(read.Runs);
            if (held.Count >= limit)
            {
                foreach (string stale in await StaleAsync(account, held, cancellationToken).ConfigureAwait(false))
                {
                    held.Remove(stale);
                }

                if (held.Count >= limit)
                {
                    return false;
                }
            }

            held[runId] = time.GetUtcNow();
            if (await slots.TryWriteAsync(account, read, held, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }

        throw new InvalidOperationException($"The active-session slots of account '{account}' kept changing; try again.");
    }

    /// <summary>Gives the run's slot back (idempotent: a run without one changes nothing).</summary>
    public async Task ReleaseAsync(string account, string runId, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            SessionSlotStore.Slots read = await slots.ReadAsync(account, cancellationToken).ConfigureAwait(false);
            if (!read.Runs.ContainsKey(runId))
            {
                return;
            }

            Dictionary<string, DateTimeOffset> held = new(read.Runs);
            held.Remove(runId);
            if (await slots.TryWriteAsync(account, read, held, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    public async Task<int> CountAsync(string account, CancellationToken cancellationToken) =>
        (await slots.ReadAsync(account, cancellationToken).ConfigureAwait(false)).Runs.Count;

    private async Task<List<string>> StaleAsync(string account, Dictionary<string, DateTimeOffset> held, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        List<string> stale = [];
        foreach ((string runId, DateTimeOffset reservedAt) in held)
        {
            RunRecord? run = await runs.GetAsync(account, runId, cancellationToken).ConfigureAwait(false);
            if (run is null ? now - reservedAt > UnwrittenRunGrace : RunStatuses.IsFinal(run.Status))
            {
                stale.Add(runId);
            }
        }

        return stale;
    }
}
