using System.Diagnostics;
using CodingAgent.Application;
using CodingAgent.Application.Turns;
using CodingAgent.Application.Workflow;
using CodingAgent.Model;
using CodingAgent.Sandboxes;
using CodingAgent.Telemetry;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CodingAgent.Activities;

/// <summary>
/// Ends a turn that had steps after the agent (validation, publishing): the turn is completed, the session's expiry moves
/// (and the sandbox's timeout with it), and the run goes idle — or stays running when more turns are queued.
/// </summary>
public sealed class SettleTurnActivity(RunProgress progress, SessionWindow window, TurnSettler settler, TimeProvider time)
{
    [Function(ActivityNames.SettleTurn)]
    public async Task<TurnOutcome> SettleTurn([ActivityTrigger] SettleInput input, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Activity? span = AgentTelemetry.StartRunSpan(ActivityNames.SettleTurn, input.Run, input.Turn);
        RunRecord run = await progress.GetAsync(input.Run, cancellationToken).ConfigureAwait(false)
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
        PublishResult? deferred = input.PublishDeferred
            ? new PublishResult(PublishStatuses.Deferred, run.Publish?.Branch ?? string.Empty, run.Publish?.HeadSha, run.Publish?.PullRequestUrl,
                "An automatic fix turn follows; it publishes.")
            : null;
        await settler.SettleAsync(input.Run, input.Turn, new TurnEnding(TurnStatuses.Completed, stepError, expiresAt, Publish: deferred), durable, cancellationToken)
            .ConfigureAwait(false);
        return new TurnOutcome(input.Turn, SessionAlive: true, expiresAt.UtcDateTime);
    }
}
