using CodingAgent.Model;
using CodingAgent.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace CodingAgent.Application;

/// <summary>
/// Finds runs a crash left half-created: still <c>queued</c> well after their creation, with no orchestration to move
/// them on. Such a run fails with <c>orchestration_missing</c>, its turn with it, and its active-session slot is freed.
/// A run whose orchestration exists (merely waiting for a busy engine) is left alone.
/// </summary>
public sealed partial class RunReconciler(
    RunStore runs, TurnStore turns, EventLog events, ActiveSessionSlots sessions, TimeProvider time, ILogger<RunReconciler> logger)
{
    /// <summary>Creation writes the run row and schedules the orchestration within milliseconds; this is generous.</summary>
    public static readonly TimeSpan QueuedGrace = TimeSpan.FromMinutes(2);

    /// <summary>Returns the ids of the runs it failed.</summary>
    public async Task<IReadOnlyList<string>> ReconcileAsync(DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        List<string> failed = [];
        foreach (RunRecord run in await runs.ListQueuedSinceBeforeAsync(time.GetUtcNow() - QueuedGrace, cancellationToken).ConfigureAwait(false))
        {
            if (await durable.GetInstanceAsync(run.RunId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            await FailAsync(run, cancellationToken).ConfigureAwait(false);
            failed.Add(run.RunId);
            LogOrphanFailed(logger, run.RunId, run.Account);
        }

        return failed;
    }

    private async Task FailAsync(RunRecord run, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        RunRecord closed = await runs.UpdateAsync(run.Key, r => r.Status != RunStatuses.Queued ? null : r with
        {
            Status = RunStatuses.Failed,
            SessionActive = false,
            EndReason = EndReasons.Failed,
            Error = new RunError(ErrorCodes.OrchestrationMissing, "The run was stored but never started (the control plane stopped while creating it); create it again.",
                Phases.Sandbox, true),
            UpdatedAt = now,
        }, cancellationToken).ConfigureAwait(false);
        if (closed.Status != RunStatuses.Failed)
        {
            return; // it started after all
        }

        if (await turns.GetAsync(run.RunId, 1, cancellationToken).ConfigureAwait(false) is { } first && !TurnStatuses.IsSettled(first.Status))
        {
            await turns.UpdateAsync(run.RunId, 1, t => TurnStatuses.IsSettled(t.Status) ? null : t with { Status = TurnStatuses.Failed, CompletedAt = now }, cancellationToken)
                .ConfigureAwait(false);
        }

        await events.AppendAsync(run.RunId, [RunProgress.StatusDraft(closed, 0)], cancellationToken).ConfigureAwait(false);
        await sessions.ReleaseAsync(run.Key, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} of account {Account} was queued with no orchestration; failed it (orchestration_missing)")]
    private static partial void LogOrphanFailed(ILogger logger, string runId, string account);
}
