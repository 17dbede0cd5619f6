using System.Diagnostics;
using CodingAgent.Application;
using CodingAgent.Model;
using CodingAgent.Application.Workflow;
using CodingAgent.Storage;
using CodingAgent.Validation;
using CodingAgent.Telemetry;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Activities;

/// <summary>
/// Hands out the automatic fix turn for a turn whose validation the agent broke: an ordinary turn whose prompt carries the
/// failure. None while a caller's prompt is already queued (the caller has moved on; the next turn sees the failure anyway).
/// </summary>
public sealed class RequestFixTurnActivity(RunCommands commands, TurnStore turns)
{
    [Function(ActivityNames.RequestFixTurn)]
    public async Task<FixTurnOutcome> RequestFixTurn([ActivityTrigger] TurnInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Activity? span = AgentTelemetry.StartRunSpan(ActivityNames.RequestFixTurn, input.Run, input.Turn);
        TurnRecord failed = await turns.GetAsync(input.RunId, input.Turn, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Turn {input.Turn} of run {input.RunId} does not exist.");
        ValidationVerdict verdict = failed.Validation ?? throw new InvalidOperationException($"Turn {input.Turn} of run {input.RunId} has no validation verdict.");
        int attempt = failed.FixAttempt + 1;
        int? turn = await commands.AcceptFixTurnAsync(input.Run, input.Turn, attempt,
            run => FixTurnPrompt.For(verdict, attempt, run.MaxFixAttempts), cancellationToken).ConfigureAwait(false);
        return new FixTurnOutcome(turn);
    }
}
