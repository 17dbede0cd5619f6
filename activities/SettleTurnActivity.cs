using CodingAgent.Application;
using CodingAgent.Model;
using CodingAgent.Application.Workflow;
using CodingAgent.Sandboxes;
using CodingAgent.Storage;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Activities;

/// <summary>
/// Ends a turn that had steps after the agent (validation, publishing): the turn is completed, the session's expiry moves
/// (and the sandbox's timeout with it), and the run goes idle — or stays running when more turns are queued.
/// </summary>
public sealed class SettleTurnActivity(RunProgress progress, TurnStore turns, SessionWindow window, TimeProvider time)
{
    [Function(ActivityNames.SettleTurn)]
    public async Task<TurnOutcome> SettleTurn([ActivityTrigger] SettleInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        RunRecord run = await progress.GetAsync(input.Account, input.RunId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Run {input.RunId} does not exist.");
        DateTimeOffset expiresAt;
        try
        {
            expiresAt = await window.ExtendAfterTurnAsync(run.Agent!.SandboxId, run, cancellationToken).ConfigureAwait(false);
        }
        catch (SandboxGoneException)
        {
            return new TurnOutcome(input.Turn, SessionAlive: false, time.GetUtcNow().UtcDateTime);
        }

        RunError? stepError = input.FailedPhase is { } phase
            ? new RunError(phase == Phases.Publish ? ErrorCodes.PublishFailed : ErrorCodes.ValidationError, input.ErrorMessage ?? $"The {phase} step failed.", phase, true)
            : null;
        DateTimeOffset now = time.GetUtcNow();
        await turns.UpdateAsync(input.RunId, input.Turn, t => t with
        {
            Status = TurnStatuses.Completed,
            CompletedAt = t.CompletedAt ?? now,
            Error = stepError ?? t.Error,
            Publish = input.PublishDeferred
                ? new PublishResult(PublishStatuses.Deferred, run.Publish?.Branch ?? string.Empty, run.Publish?.HeadSha, run.Publish?.PullRequestUrl,
                    "An automatic fix turn follows; it publishes.")
                : t.Publish,
        }, cancellationToken).ConfigureAwait(false);
        await progress.ReportAsync(input.Account, input.RunId, input.Turn, r => r with
        {
            Status = RunStatuses.AfterTurn(r, input.Turn),
            SessionActive = true,
            SessionExpiresAt = expiresAt,
            CompletedTurns = Math.Max(r.CompletedTurns, input.Turn),
            Error = stepError ?? r.Error,
        }, cancellationToken).ConfigureAwait(false);
        return new TurnOutcome(input.Turn, SessionAlive: true, expiresAt.UtcDateTime);
    }
}
