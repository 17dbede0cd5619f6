using CodingAgent.Application.Model;
using CodingAgent.Storage;

namespace CodingAgent.Application;

/// <summary>Reads of a run for every front door. All of them read storage only, never the sandbox.</summary>
public sealed class RunQueries(RunStore runs, TurnStore turns, EventLog events, PatchStore patches)
{
    private const int EventPage = 1000;

    /// <summary>The run when it exists in the account; a malformed id or another account's run is simply not there.</summary>
    public Task<RunRecord?> GetAsync(string account, string runId, CancellationToken cancellationToken) =>
        RunIds.IsWellFormed(runId) ? runs.GetAsync(account, runId, cancellationToken) : Task.FromResult<RunRecord?>(null);

    public Task<(IReadOnlyList<RunRecord> Runs, bool More)> ListAsync(
        string account, string? afterRunId, string? status, string? tag, int limit, CancellationToken cancellationToken) =>
        runs.ListPageAsync(account, afterRunId, status, tag, limit, cancellationToken);

    public async Task<IReadOnlyList<RunEvent>> EventsAsync(string runId, CancellationToken cancellationToken)
    {
        List<RunEvent> all = [];
        while (true)
        {
            IReadOnlyList<RunEvent> page = await events.ReadAsync(runId, all.Count == 0 ? 0 : all[^1].Seq, EventPage, cancellationToken).ConfigureAwait(false);
            all.AddRange(page);
            if (page.Count < EventPage)
            {
                return all;
            }
        }
    }

    public Task<TurnRecord?> GetTurnAsync(string runId, int turn, CancellationToken cancellationToken) =>
        turns.GetAsync(runId, turn, cancellationToken);

    public Task<string> GetPatchAsync(string runId, CancellationToken cancellationToken) => patches.GetAsync(runId, cancellationToken);
}
