using CodingAgent.Application.Notifications;
using CodingAgent.Application.Telemetry;
using CodingAgent.Model;
using CodingAgent.Storage;
using Microsoft.DurableTask.Client;

namespace CodingAgent.Application.Turns;

/// <summary>
/// The one place a turn ends, whichever step is its last (the agent, validation or publishing): the turn row gets its
/// final status, the run its status after the turn and the session's new expiry, the log a status event, and the run's
/// <c>replyTo</c> queue (if any) its notifications.
/// Safe to repeat: a retried activity writes the same values again.
/// </summary>
public sealed class TurnSettler(RunProgress progress, TurnStore turns, UsageLedger ledger, RunNotifier notifier, TimeProvider time)
{
    public async Task SettleAsync(RunKey run, int turn, TurnEnding ending, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(ending);
        DateTimeOffset now = time.GetUtcNow();
        AgentPart? agent = ending.Agent;
        Task<TurnRecord> turnWritten = turns.UpdateAsync(run.RunId, turn, t => t with
        {
            Status = ending.Status,
            CompletedAt = t.CompletedAt ?? now,
            AssistantText = agent is null ? t.AssistantText : agent.Text,
            PatchStats = agent is null ? t.PatchStats : agent.Stats,
            Usage = agent?.Usage ?? t.Usage,
            Error = ending.Error ?? t.Error,
            Publish = ending.Publish ?? t.Publish,
        }, cancellationToken);
        // The ledger row lands before the run counts the turn (a crash in between leaves a row the retry finds, never a
        // total without its row). With the agent's part in hand it is written alongside the turn row, off the critical path;
        // otherwise its usage is the one the agent step stored on the turn.
        Task<bool> recorded = agent is null ? Task.FromResult(false) : ledger.RecordAsync(Entry(run, turn, now, agent.Usage), cancellationToken);
        TurnRecord settledTurn = await turnWritten.ConfigureAwait(false);
        await recorded.ConfigureAwait(false);
        if (agent is null)
        {
            await ledger.RecordAsync(Entry(run, turn, settledTurn.CompletedAt ?? now, settledTurn.Usage), cancellationToken).ConfigureAwait(false);
        }

        RunMetrics.TurnSettled(settledTurn);

        RunRecord After(RunRecord r) => Counted(r with
        {
            Status = ending.SessionExpiresAt is null ? r.Status : RunStatuses.AfterTurn(r, turn),
            SessionActive = ending.SessionExpiresAt is not null,
            SessionExpiresAt = ending.SessionExpiresAt ?? r.SessionExpiresAt,
            CompletedTurns = Math.Max(r.CompletedTurns, turn),
            AssistantText = agent?.Text ?? r.AssistantText,
            PatchStats = agent?.Stats ?? r.PatchStats,
            PatchTruncated = agent?.PatchTruncated ?? r.PatchTruncated,
            // The agent phase cleared an earlier turn's error when it closed; only a step after it can set one now.
            Error = agent is null ? ending.Error ?? r.Error : ending.Error,
        });

        // The agent's usage counts once; without an agent part it was counted when the agent step ended.
        RunRecord Counted(RunRecord r) => agent is null ? r : RunUsage.CountTurn(r, turn, agent.Usage);

        RunRecord settled = agent is null
            ? await progress.ReportAsync(run, turn, After, cancellationToken).ConfigureAwait(false)
            : await progress.EndPhaseAsync(run, Phases.Turn, turn, PhaseOutcomeOf(ending.Status), reportStatus: true, After, cancellationToken)
                .ConfigureAwait(false);
        await notifier.TurnSettledAsync(settled, turn, ending.Status, durable, cancellationToken).ConfigureAwait(false);
    }

    private static UsageEntry Entry(RunKey run, int turn, DateTimeOffset day, Usage usage) =>
        new(run.Account, run.RunId, turn, UsageLedger.TurnKind, DateOnly.FromDateTime(day.UtcDateTime), usage);

    private static string PhaseOutcomeOf(string turnStatus) => turnStatus switch
    {
        TurnStatuses.Completed => PhaseOutcomes.Succeeded,
        TurnStatuses.Cancelled => PhaseOutcomes.Cancelled,
        _ => PhaseOutcomes.Failed,
    };
}
