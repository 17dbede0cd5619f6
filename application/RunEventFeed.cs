using CodingAgent.Model;
using CodingAgent.Storage;

namespace CodingAgent.Application;

/// <summary>A run's event log for readers that follow it live: pages after a sequence number, and a wake-up on the next append.</summary>
public sealed class RunEventFeed(EventLog log, EventLogSignals signals)
{
    /// <summary>Completes when this process appends an event of the run (other writers are seen by polling).</summary>
    public Task NextAppendAsync(string runId) => signals.NextAppendAsync(runId);

    public Task<IReadOnlyList<RunEvent>> ReadAsync(string runId, long afterSeq, int max, CancellationToken cancellationToken) =>
        log.ReadAsync(runId, afterSeq, max, cancellationToken);
}
