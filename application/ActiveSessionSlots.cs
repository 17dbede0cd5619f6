using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Storage;
using Microsoft.Extensions.Options;

namespace CodingAgent.Application;

/// <summary>
/// <c>Limits:ActiveSessionsPerAccount</c> as a counter that holds under concurrency: a creation reserves a slot for its
/// run id before anything is written, teardown releases it. A slot whose run has finished, or never got written (a
/// crash mid-create), is taken back when the account is at its limit, so a lost release cannot lock an account out.
/// </summary>
public sealed class ActiveSessionSlots(SessionSlotStore slots, RunStore runs, IOptions<LimitOptions> options, TimeProvider time)
{
    // A reservation whose run row is still missing after this long was left by a creation that died.
    private static readonly TimeSpan UnwrittenRunGrace = TimeSpan.FromMinutes(2);
    private const int MaxAttempts = 200;

    // One transaction holds at most 100 actions: the count row, the new slot, and this many stale ones.
    private const int MaxStalePerChange = 90;

    /// <summary>Reserves a slot for <paramref name="run"/>; false when its account already holds the limit.</summary>
    public async Task<bool> TryReserveAsync(RunKey run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        string account = run.Account;
        int limit = options.Value.ActiveSessionsPerAccount;
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await slots.HoldsAsync(run, cancellationToken).ConfigureAwait(false))
            {
                return true; // a retried creation of the same run already holds its slot
            }

            SessionSlotStore.Count count = await slots.ReadCountAsync(account, cancellationToken).ConfigureAwait(false);
            IReadOnlyCollection<string> stale = [];
            if (count.Held >= limit)
            {
                stale = await StaleAsync(account, cancellationToken).ConfigureAwait(false);
                if (count.Held - stale.Count >= limit)
                {
                    return false;
                }
            }

            if (await slots.TryChangeAsync(account, count, run.RunId, time.GetUtcNow(), stale, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            await BackOffAsync(cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"The active-session slots of account '{account}' kept changing; try again.");
    }

    /// <summary>Gives the run's slot back (idempotent: a run without one changes nothing).</summary>
    public async Task ReleaseAsync(RunKey run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (!await slots.HoldsAsync(run, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            SessionSlotStore.Count count = await slots.ReadCountAsync(run.Account, cancellationToken).ConfigureAwait(false);
            if (await slots.TryChangeAsync(run.Account, count, null, time.GetUtcNow(), [run.RunId], cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await BackOffAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<int> CountAsync(string account, CancellationToken cancellationToken) =>
        (await slots.ReadCountAsync(account, cancellationToken).ConfigureAwait(false)).Held;

    // Racing creations of one account take turns on its count row; a random pause keeps them from colliding in step.
    private Task BackOffAsync(CancellationToken cancellationToken) =>
        Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(2, 20)), time, cancellationToken);

    private async Task<List<string>> StaleAsync(string account, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        List<string> stale = [];
        foreach ((string runId, DateTimeOffset reservedAt) in await slots.ListAsync(account, cancellationToken).ConfigureAwait(false))
        {
            RunRecord? run = await runs.GetAsync(new RunKey(account, runId), cancellationToken).ConfigureAwait(false);
            if (run is null ? now - reservedAt > UnwrittenRunGrace : RunStatuses.IsFinal(run.Status))
            {
                stale.Add(runId);
            }

            if (stale.Count == MaxStalePerChange)
            {
                break;
            }
        }

        return stale;
    }
}
