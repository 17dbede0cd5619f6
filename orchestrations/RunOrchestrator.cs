using CodingAgent.Application.Workflow;
using CodingAgent.Model;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace CodingAgent.Orchestrations;

/// <summary>
/// One run = one orchestration (instance id = run id): provision → turns → idle race (message | endSession | timer at
/// the absolute expiry) → … → teardown. Deterministic: everything that touches the world is an activity.
/// </summary>
public static class RunOrchestrator
{
    public const int TurnsPerGeneration = 10;

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 3, firstRetryInterval: TimeSpan.FromSeconds(2), backoffCoefficient: 2.0));

    [Function(OrchestrationNames.Run)]
    public static async Task<string> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context, RunState state)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(state);
        RunKey run = new(state.Account, state.RunId);

        if (!state.Provisioned)
        {
            if (!await ProvisionAsync(context, run))
            {
                return EndReasons.Failed;
            }

            state = state with { Provisioned = true };
        }

        // Created once per generation; a message waiter is only created after the previous one completed, so no
        // cancelled waiter can swallow a later message (a cancelled WaitForExternalEvent still consumes the next event of its name).
        Task<EndSessionSignal> endSession = context.WaitForExternalEvent<EndSessionSignal>(RunEvents.EndSession);
        while (true)
        {
            while (state.LastTurn < state.HighestAcceptedTurn && !endSession.IsCompleted)
            {
                int turn = state.LastTurn + 1;
                TurnInput input = new(run.Account, run.RunId, turn);
                TurnOutcome outcome;
                int? fixTurn = null;
                try
                {
                    outcome = await context.CallActivityAsync<TurnOutcome>(ActivityNames.RunTurn, input, Retry);
                    if (outcome.SessionAlive && !outcome.Settled)
                    {
                        (outcome, fixTurn) = await AfterAgentAsync(context, input, outcome);
                    }
                }
                catch (TaskFailedException failure)
                {
                    return await TeardownAsync(context, run, EndReasons.Failed, Phases.Turn, failure.FailureDetails.ErrorMessage);
                }

                // An automatic fix turn was numbered like any accepted prompt; it runs next, in order.
                state = state with
                {
                    LastTurn = turn,
                    ExpiresAtUtc = outcome.ExpiresAtUtc,
                    TurnsThisGeneration = state.TurnsThisGeneration + 1,
                    HighestAcceptedTurn = Math.Max(state.HighestAcceptedTurn, fixTurn ?? 0),
                };
                if (!outcome.SessionAlive)
                {
                    return await TeardownAsync(context, run, EndReasons.SandboxLost);
                }
            }

            if (endSession.IsCompleted)
            {
                return await TeardownAsync(context, run, EndReasonOf(await endSession));
            }

            if (state.TurnsThisGeneration >= TurnsPerGeneration)
            {
                // Unprocessed events (messages, endSession) are carried into the next generation.
                context.ContinueAsNew(state with { TurnsThisGeneration = 0 }, preserveUnprocessedEvents: true);
                return "continued";
            }

            using CancellationTokenSource timerCancellation = new();
            Task expiry = WaitUntilAsync(context, state.ExpiresAtUtc ?? context.CurrentUtcDateTime, timerCancellation.Token);
            Task<MessageSignal> message = context.WaitForExternalEvent<MessageSignal>(RunEvents.Message);
            Task winner = await Task.WhenAny(message, endSession, expiry);
            if (winner == expiry)
            {
                return await TeardownAsync(context, run, EndReasons.Expired);
            }

            timerCancellation.Cancel();
            if (winner == endSession)
            {
                return await TeardownAsync(context, run, EndReasonOf(await endSession));
            }

            // A duplicate delivery names a turn already known; it changes nothing.
            MessageSignal signal = await message;
            state = state with { HighestAcceptedTurn = Math.Max(state.HighestAcceptedTurn, signal.Turn) };
        }
    }

    /// <summary>
    /// The steps between the agent's answer and the turn's end: validation (and, when the agent broke it, an automatic
    /// fix turn), then publishing (left to the fix turn when there is one), then the turn settles. A step that fails
    /// outright is reported on the turn; the session goes on.
    /// </summary>
    private static async Task<(TurnOutcome Outcome, int? FixTurn)> AfterAgentAsync(TaskOrchestrationContext context, TurnInput turn, TurnOutcome agent)
    {
        int? fixTurn = null;
        (string Phase, string Message)? failed = null;
        if (agent.Validate)
        {
            try
            {
                ValidationOutcome verdict = await context.CallActivityAsync<ValidationOutcome>(ActivityNames.ValidateTurn, turn, Retry);
                if (verdict.FixNeeded)
                {
                    fixTurn = (await context.CallActivityAsync<FixTurnOutcome>(ActivityNames.RequestFixTurn, turn, Retry)).Turn;
                }
            }
            catch (TaskFailedException failure)
            {
                failed = (Phases.Validate, failure.FailureDetails.ErrorMessage);
            }
        }

        bool deferPublish = agent.Publish && fixTurn is not null;
        if (agent.Publish && !deferPublish)
        {
            try
            {
                await context.CallActivityAsync(ActivityNames.PublishTurn, turn, Retry);
            }
            catch (TaskFailedException failure)
            {
                failed ??= (Phases.Publish, failure.FailureDetails.ErrorMessage);
            }
        }

        SettleInput settle = new(turn.Account, turn.RunId, turn.Turn, failed?.Phase, failed?.Message, deferPublish);
        return (await context.CallActivityAsync<TurnOutcome>(ActivityNames.SettleTurn, settle, Retry), fixTurn);
    }

    /// <summary>
    /// A durable timer that never ends early: the Azure Storage provider's timers ride on queue visibility (whole seconds),
    /// so one can fire up to a second before its time; it is then re-armed for the rest.
    /// </summary>
    private static async Task WaitUntilAsync(TaskOrchestrationContext context, DateTime fireAt, CancellationToken cancellationToken)
    {
        while (context.CurrentUtcDateTime < fireAt)
        {
            await context.CreateTimer(fireAt, cancellationToken);
        }
    }

    /// <summary>
    /// Provisions the run (one activity; its steps are phases of the run record). On failure tears the sandbox down and
    /// returns false; teardown reads the failed phase from the run record.
    /// </summary>
    private static async Task<bool> ProvisionAsync(TaskOrchestrationContext context, RunKey run)
    {
        try
        {
            await context.CallActivityAsync(ActivityNames.ProvisionRun, run, Retry);
            return true;
        }
        catch (TaskFailedException failure)
        {
            await TeardownAsync(context, run, EndReasons.Failed, errorMessage: failure.FailureDetails.ErrorMessage);
            return false;
        }
    }

    /// <summary>A session ends on request, or because the control plane found its sandbox gone.</summary>
    private static string EndReasonOf(EndSessionSignal signal) =>
        signal.Reason == EndReasons.SandboxLost ? EndReasons.SandboxLost : EndReasons.EndSession;

    private static async Task<string> TeardownAsync(
        TaskOrchestrationContext context, RunKey run, string endReason, string? failedPhase = null, string? errorMessage = null)
    {
        TeardownInput teardown = new(run.Account, run.RunId, endReason, failedPhase, errorMessage);
        try
        {
            await context.CallActivityAsync(ActivityNames.TeardownRun, teardown, Retry);
        }
        catch (TaskFailedException)
        {
            // The sandbox provider kept failing: the run is still closed, and its sandbox is left to the janitor.
            await context.CallActivityAsync(ActivityNames.TeardownRun, teardown with { LeaveSandboxToJanitor = true }, Retry);
        }

        return endReason;
    }
}
