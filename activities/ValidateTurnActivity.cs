using System.Diagnostics;
using CodingAgent.Application;
using CodingAgent.Model;
using CodingAgent.Application.Workflow;
using CodingAgent.Sandboxes;
using CodingAgent.Storage;
using CodingAgent.Validation;
using CodingAgent.Telemetry;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Activities;

/// <summary>
/// Validates the turn's change in the sandbox (phase <c>validate</c>). A failure is compared with the base commit's result
/// (measured the first time a turn fails, then kept), so a failure the repository already had is marked pre-existing.
/// </summary>
public sealed class ValidateTurnActivity(ISandboxProvider sandboxes, RunProgress progress, TurnStore turns, TurnValidator validator)
{
    [Function(ActivityNames.ValidateTurn)]
    public async Task<ValidationOutcome> ValidateTurn([ActivityTrigger] TurnInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Activity? span = AgentTelemetry.StartRunSpan(ActivityNames.ValidateTurn, input.Run, input.Turn);
        return await progress.RunPhaseAsync<ValidationOutcome>(input.Run, Phases.Validate, input.Turn, null, async run =>
        {
            ISandbox sandbox = await SandboxOf.ConnectAsync(sandboxes, run, cancellationToken).ConfigureAwait(false);
            ValidationVerdict verdict = await validator.ValidateAsync(sandbox, run, input.Turn, cancellationToken).ConfigureAwait(false);
            ValidationBaseline? baseline = run.ValidationBaseline;
            if (verdict.Status == ValidationStatuses.Failed && TurnValidator.BaselineCommandOf(run, verdict) is { } command)
            {
                if (baseline is null || baseline.Command != command)
                {
                    baseline = await validator.BaselineAsync(sandbox, run, command, cancellationToken).ConfigureAwait(false);
                }

                verdict = verdict with { Baseline = baseline, PreExisting = baseline.Status == ValidationStatuses.Failed };
            }

            TurnRecord turn = await turns.UpdateAsync(input.RunId, input.Turn, t => t with { Validation = verdict }, cancellationToken).ConfigureAwait(false);
            await progress.AppendAsync(input.RunId, [new RunEventDraft(input.Turn, RunEventTypes.Validation, $"validation:{input.Turn}", verdict)], cancellationToken)
                .ConfigureAwait(false);
            bool fixNeeded = verdict.Status == ValidationStatuses.Failed && !verdict.PreExisting && turn.FixAttempt < run.MaxFixAttempts;
            return (new ValidationOutcome(verdict.Status, fixNeeded), r => r with { Validation = verdict, ValidationBaseline = baseline });
        }, cancellationToken).ConfigureAwait(false);
    }
}
