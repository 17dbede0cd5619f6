using CodingAgent.Model;
using CodingAgent.Storage;

namespace CodingAgent.Application;

/// <summary>Reads of a run for every front door. All of them read storage only, never the sandbox.</summary>
public sealed class RunQueries(RunStore runs, TurnStore turns, EventLog events, PatchStore patches, DeliveryStore deliveries)
{
    public const int MaxEventPage = 1000;

    /// <summary>The run when it exists in the account; a malformed id or another account's run is simply not there.</summary>
    public Task<RunRecord?> GetAsync(RunKey run, CancellationToken cancellationToken) =>
        RunIds.IsWellFormed(run?.RunId) ? runs.GetAsync(run!, cancellationToken) : Task.FromResult<RunRecord?>(null);

    public Task<(IReadOnlyList<RunRecord> Runs, bool More)> ListAsync(
        string account, string? afterRunId, string? status, string? tag, int limit, CancellationToken cancellationToken) =>
        runs.ListPageAsync(account, afterRunId, status, tag, limit, cancellationToken);

    /// <summary>Up to <paramref name="limit"/> events after sequence number <paramref name="after"/>, and whether more follow.</summary>
    public async Task<(IReadOnlyList<RunEvent> Events, bool More)> EventsPageAsync(string runId, long after, int limit, CancellationToken cancellationToken)
    {
        // One more than asked tells whether another page follows.
        IReadOnlyList<RunEvent> page = await events.ReadAsync(runId, after, Math.Min(limit, MaxEventPage) + 1, cancellationToken).ConfigureAwait(false);
        return page.Count > limit ? (page.Take(limit).ToList(), true) : (page, false);
    }

    public Task<TurnRecord?> GetTurnAsync(string runId, int turn, CancellationToken cancellationToken) =>
        turns.GetAsync(runId, turn, cancellationToken);

    public Task<string> GetPatchAsync(string runId, CancellationToken cancellationToken) => patches.GetAsync(runId, cancellationToken);

    /// <summary>The run's webhook and callback deliveries, oldest first.</summary>
    public Task<IReadOnlyList<DeliveryRecord>> DeliveriesAsync(string runId, CancellationToken cancellationToken) => deliveries.ListAsync(runId, cancellationToken);
}
