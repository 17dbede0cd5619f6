using CodingAgent.Application;
using CodingAgent.Model;
using CodingAgent.Storage;

namespace CodingAgent.Tests.Support;

/// <summary>A finished run written straight to storage with a long event log (text events, then the final status).</summary>
public static class SeededRun
{
    public static async Task<string> CreateAsync(StorageClients clients, string account, int eventCount)
    {
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        string runId = RunIds.New(now);
        await new RunStore(clients).InsertAsync(new RunRecord
        {
            Account = account,
            RunId = runId,
            Status = RunStatuses.Completed,
            Repository = "owner/name",
            CloneUrl = "https://github.com/owner/name.git",
            ModelId = "scripted/model",
            TaskKind = TaskKinds.Code,
            ValidationMode = "minimal",
            BillingMode = "managed",
            PublishMode = "none",
            CreatedAt = now,
            UpdatedAt = now,
        }, CancellationToken.None);
        List<RunEventDraft> drafts = Enumerable.Range(1, eventCount - 1)
            .Select(i => new RunEventDraft(1, RunEventTypes.AgentText, $"text:{i}", new { text = $"part {i} of a long answer" }))
            .Append(new RunEventDraft(1, RunEventTypes.RunStatus, "status:completed", new { status = RunStatuses.Completed, sessionActive = false, currentTurn = 1 }))
            .ToList();
        await new EventLog(clients, new EventLogSignals(), TimeProvider.System).AppendAsync(runId, drafts, CancellationToken.None);
        return runId;
    }
}
