using System.Diagnostics;
using CodingAgent.Application;
using CodingAgent.Application.Notifications;
using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Application.Workflow;
using CodingAgent.Sandboxes;
using CodingAgent.Storage;
using CodingAgent.Application.Telemetry;
using CodingAgent.Telemetry;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace CodingAgent.Activities;

/// <summary>Kills the run's sandbox (and any other sandbox tagged with the run), forgets its secrets, closes the run and says so to its <c>replyTo</c> queue.</summary>
public sealed class TeardownRunActivity(
    ISandboxProvider sandboxes, RunProgress progress, RunSecretStore secrets, TurnStore turns, ActiveSessionSlots sessions, RunNotifier notifier,
    IOptions<SandboxOptions> options, UsageLedger ledger, TimeProvider time)
{
    [Function(ActivityNames.TeardownRun)]
    public async Task TeardownRun([ActivityTrigger] TeardownInput input, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Activity? span = AgentTelemetry.StartRunSpan(ActivityNames.TeardownRun, input.Run);
        await progress.RunPhaseAsync<bool>(input.Run, Phases.Teardown, null, null, async record =>
        {
            if (!input.LeaveSandboxToJanitor)
            {
                await KillSandboxesAsync(record, cancellationToken).ConfigureAwait(false);
                RunMetrics.SandboxEnded(record, options.Value.Provider, time.GetUtcNow());
            }

            await secrets.DeleteAllAsync(input.RunId, cancellationToken).ConfigureAwait(false);
            await CancelQueuedTurnsAsync(input.RunId, cancellationToken).ConfigureAwait(false);
            // Freed before the run reads final, so a caller who sees it ended can start the next run at once.
            await sessions.ReleaseAsync(input.Run, cancellationToken).ConfigureAwait(false);

            // The second attempt after the sandbox could not be killed: the run is final all the same, and says why.
            bool failed = input.EndReason == EndReasons.Failed || input.LeaveSandboxToJanitor;
            RunError? error = input.LeaveSandboxToJanitor
                ? new RunError(ErrorCodes.TeardownFailed, "The sandbox could not be removed; the janitor kills it on its next sweep.", Phases.Teardown, false)
                : failed
                    ? new RunError(ErrorCodes.PhaseFailed, input.ErrorMessage ?? "The run failed.", input.FailedPhase ?? LastFailedPhase(record), false)
                    : input.EndReason == EndReasons.SandboxLost
                        ? new RunError(ErrorCodes.SandboxLost, "The sandbox or its OpenCode process disappeared.", Phases.Turn, false)
                        : null;
            DateTimeOffset ended = time.GetUtcNow();
            if (RunUsage.SandboxTail(record, ended) is long tail)
            {
                await ledger.RecordAsync(new UsageEntry(record.Account, record.RunId, 0, UsageLedger.SandboxKind, DateOnly.FromDateTime(ended.UtcDateTime),
                    Usage.Zero with { SandboxSeconds = tail }), cancellationToken).ConfigureAwait(false);
            }

            return (true, r => RunUsage.CountSandboxEnd(r, ended) with
            {
                Status = failed ? RunStatuses.Failed : RunStatuses.Completed,
                SessionActive = false,
                EndReason = input.EndReason,
                Error = error ?? r.Error,
            });
        }, cancellationToken).ConfigureAwait(false);

        if (await progress.GetAsync(input.Run, cancellationToken).ConfigureAwait(false) is { } ended)
        {
            await notifier.RunEndedAsync(ended, durable, cancellationToken).ConfigureAwait(false);
        }
    }

    // Provisioning is one activity of several phases; the one that failed is marked so on the run.
    private static string? LastFailedPhase(RunRecord run) => run.Phases.LastOrDefault(p => p.Status == RunProgress.Failed)?.Name;

    private async Task KillSandboxesAsync(RunRecord record, CancellationToken cancellationToken)
    {
        if (record.Agent?.SandboxId is { } sandboxId)
        {
            await sandboxes.KillAsync(sandboxId, cancellationToken).ConfigureAwait(false);
        }

        await foreach (SandboxInfo orphan in sandboxes.ListAsync(SandboxTags.Of(record, options.Value), cancellationToken).ConfigureAwait(false))
        {
            await sandboxes.KillAsync(orphan.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CancelQueuedTurnsAsync(string runId, CancellationToken cancellationToken)
    {
        foreach (TurnRecord turn in await turns.ListAsync(runId, cancellationToken).ConfigureAwait(false))
        {
            if (!TurnStatuses.IsSettled(turn.Status))
            {
                await turns.UpdateAsync(runId, turn.Turn, t => TurnStatuses.IsSettled(t.Status) ? null : t with { Status = TurnStatuses.Cancelled }, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }
}
