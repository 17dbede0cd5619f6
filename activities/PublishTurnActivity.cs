using System.Diagnostics;
using CodingAgent.Application;
using CodingAgent.Model;
using CodingAgent.Application.Workflow;
using CodingAgent.Publishing;
using CodingAgent.Sandboxes;
using CodingAgent.Storage;
using CodingAgent.Telemetry;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Activities;

/// <summary>Publishes the turn (phase <c>publish</c>): commit and push to the run's branch, and for <c>draft_pr</c> the pull request.</summary>
public sealed class PublishTurnActivity(ISandboxProvider sandboxes, RunProgress progress, TurnStore turns, TurnPublisher publisher)
{
    [Function(ActivityNames.PublishTurn)]
    public async Task PublishTurn([ActivityTrigger] TurnInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Activity? span = AgentTelemetry.StartRunSpan(ActivityNames.PublishTurn, input.Run, input.Turn);
        RunRecord run = await progress.BeginPhaseAsync(input.Run, Phases.Publish, input.Turn, null, cancellationToken).ConfigureAwait(false);
        (PublishResult result, PublishState state) outcome;
        try
        {
            ISandbox sandbox = await SandboxOf.ConnectAsync(sandboxes, run, cancellationToken).ConfigureAwait(false);
            TurnRecord turn = await turns.GetAsync(input.RunId, input.Turn, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Turn {input.Turn} of run {input.RunId} does not exist.");
            outcome = await publisher.PublishAsync(sandbox, run, turn, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            await progress.EndPhaseAsync(input.Run, Phases.Publish, input.Turn, PhaseOutcomes.Failed, null, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        PublishResult result = outcome.result;
        bool failed = result.Status == PublishStatuses.Failed;
        await turns.UpdateAsync(input.RunId, input.Turn, t => t with { Publish = result }, cancellationToken).ConfigureAwait(false);
        await progress.AppendAsync(input.RunId, [new RunEventDraft(input.Turn, RunEventTypes.Publish, $"publish:{input.Turn}", result)], cancellationToken)
            .ConfigureAwait(false);
        await progress.EndPhaseAsync(input.Run, Phases.Publish, input.Turn, failed ? PhaseOutcomes.Failed : PhaseOutcomes.Succeeded, r => r with
        {
            Publish = outcome.state,
            Error = failed ? new RunError(ErrorCodes.PublishFailed, result.Message!, Phases.Publish, true) : r.Error,
        }, cancellationToken).ConfigureAwait(false);
    }
}
