using CodingAgent.Model;
using CodingAgent.Application.Workflow;
using CodingAgent.Orchestrations;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;

namespace CodingAgent.Tests.Unit;

/// <summary>The steps between the agent's answer and a turn's end: validation, the automatic fix turn, publishing, settling.</summary>
public sealed class RunOrchestratorAfterAgentTests
{
    private static readonly DateTime Now = new(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Expiry = Now.AddMinutes(15);
    private readonly TaskOrchestrationContext context = Substitute.For<TaskOrchestrationContext>();
    private readonly List<(string Name, object? Input)> activities = [];
    private readonly TaskCompletionSource<EndSessionSignal> end = new();

    public RunOrchestratorAfterAgentTests()
    {
        context.CurrentUtcDateTime.Returns(Now);
        context.CreateReplaySafeLogger(Arg.Any<string>()).Returns(NullLogger.Instance);
        context.CreateTimer(Arg.Any<DateTime>(), Arg.Any<CancellationToken>()).Returns(_ =>
        {
            // Once the turns are done and the run idles, the caller ends the session.
            end.TrySetResult(new EndSessionSignal("requested"));
            return new TaskCompletionSource().Task;
        });
        context.WaitForExternalEvent<EndSessionSignal>(RunEvents.EndSession, Arg.Any<CancellationToken>()).Returns(end.Task);
        context.WaitForExternalEvent<MessageSignal>(RunEvents.Message, Arg.Any<CancellationToken>()).Returns(new TaskCompletionSource<MessageSignal>().Task);
        context.CallActivityAsync(Arg.Any<TaskName>(), Arg.Any<object?>(), Arg.Any<TaskOptions?>())
            .Returns(Task.CompletedTask)
            .AndDoes(call => activities.Add((call.Arg<TaskName>().Name, call.ArgAt<object?>(1))));
        Returns(ActivityNames.RunTurn, input => new TurnOutcome(((TurnInput)input).Turn, true, Expiry, Settled: false, Validate: true, Publish: true));
        Returns(ActivityNames.SettleTurn, input => new TurnOutcome(((SettleInput)input).Turn, true, Expiry.AddMinutes(1)));
        Returns(ActivityNames.ValidateTurn, _ => new ValidationOutcome(ValidationStatuses.Passed, FixNeeded: false));
    }

    private void Returns<T>(string activity, Func<object, T> answer) =>
        context.CallActivityAsync<T>(activity, Arg.Any<object?>(), Arg.Any<TaskOptions?>()).Returns(call =>
        {
            object input = call.ArgAt<object?>(1)!;
            activities.Add((activity, input));
            return Task.FromResult(answer(input));
        });

    private static RunState Accepted(int turn) =>
        new("acme", "run_1", Provisioned: true, HighestAcceptedTurn: turn, LastTurn: turn - 1, ExpiresAtUtc: Expiry, TurnsThisGeneration: 1);

    // Validation passes: the turn publishes, then settles; the run idles with the settled expiry.
    [Fact]
    public async Task RunAsync_ValidationPasses_PublishesThenSettles()
    {
        string result = await RunOrchestrator.RunAsync(context, Accepted(2));

        Assert.Equal(EndReasons.EndSession, result);
        Assert.Equal([ActivityNames.RunTurn, ActivityNames.ValidateTurn, ActivityNames.PublishTurn, ActivityNames.SettleTurn, ActivityNames.TeardownRun],
            activities.Select(a => a.Name));
        SettleInput settle = (SettleInput)activities[3].Input!;
        Assert.Null(settle.FailedPhase);
        Assert.False(settle.PublishDeferred);
        _ = context.Received().CreateTimer(Expiry.AddMinutes(1), Arg.Any<CancellationToken>());
    }

    // The agent broke validation: a fix turn is handed out, this turn's publish is left to it, and the fix turn runs next.
    [Fact]
    public async Task RunAsync_AgentBrokeValidation_FixTurnRunsNextAndPublishes()
    {
        Returns(ActivityNames.ValidateTurn, input => new ValidationOutcome(ValidationStatuses.Failed, FixNeeded: ((TurnInput)input).Turn == 2));
        Returns(ActivityNames.RequestFixTurn, _ => new FixTurnOutcome(3));

        await RunOrchestrator.RunAsync(context, Accepted(2));

        Assert.Equal(
            [ActivityNames.RunTurn, ActivityNames.ValidateTurn, ActivityNames.RequestFixTurn, ActivityNames.SettleTurn,
             ActivityNames.RunTurn, ActivityNames.ValidateTurn, ActivityNames.PublishTurn, ActivityNames.SettleTurn, ActivityNames.TeardownRun],
            activities.Select(a => a.Name));
        Assert.True(((SettleInput)activities[3].Input!).PublishDeferred);
        Assert.Equal(3, ((TurnInput)activities[4].Input!).Turn);
        Assert.False(((SettleInput)activities[7].Input!).PublishDeferred);
    }

    // No fix turn could be handed out (a caller's prompt is queued, or attempts are used up): the turn publishes as it is.
    [Fact]
    public async Task RunAsync_FixNeededButNoneHandedOut_PublishesThisTurn()
    {
        Returns(ActivityNames.ValidateTurn, _ => new ValidationOutcome(ValidationStatuses.Failed, FixNeeded: true));
        Returns(ActivityNames.RequestFixTurn, _ => new FixTurnOutcome(null));

        await RunOrchestrator.RunAsync(context, Accepted(2));

        Assert.Equal([ActivityNames.RunTurn, ActivityNames.ValidateTurn, ActivityNames.RequestFixTurn, ActivityNames.PublishTurn, ActivityNames.SettleTurn, ActivityNames.TeardownRun],
            activities.Select(a => a.Name));
    }

    // A step that fails outright is reported on the turn, and the session goes on (the run is not failed).
    [Fact]
    public async Task RunAsync_PublishFailsOutright_SettlesNamingThePhase_SessionGoesOn()
    {
        context.CallActivityAsync(ActivityNames.PublishTurn, Arg.Any<object?>(), Arg.Any<TaskOptions?>())
            .Returns(Task.FromException(new TaskFailedException(ActivityNames.PublishTurn, 1, new TaskFailureDetails("SandboxException", "git push timed out", null, null, null))));

        string result = await RunOrchestrator.RunAsync(context, Accepted(2));

        Assert.Equal(EndReasons.EndSession, result);
        SettleInput settle = (SettleInput)Assert.Single(activities, a => a.Name == ActivityNames.SettleTurn).Input!;
        Assert.Equal(Phases.Publish, settle.FailedPhase);
        Assert.Equal("git push timed out", settle.ErrorMessage);
    }

    // A settled turn (nothing after the agent) goes straight to idle: no validate, publish or settle activity.
    [Fact]
    public async Task RunAsync_SettledByTheTurn_RunsNoFurtherSteps()
    {
        Returns(ActivityNames.RunTurn, input => new TurnOutcome(((TurnInput)input).Turn, true, Expiry));

        await RunOrchestrator.RunAsync(context, Accepted(2));

        Assert.Equal([ActivityNames.RunTurn, ActivityNames.TeardownRun], activities.Select(a => a.Name));
    }

    // The sandbox vanished while validating: settling finds it gone and the run ends as sandbox_lost.
    [Fact]
    public async Task RunAsync_SandboxGoneAtSettle_TearsDownAsSandboxLost()
    {
        Returns(ActivityNames.SettleTurn, input => new TurnOutcome(((SettleInput)input).Turn, false, Now));

        string result = await RunOrchestrator.RunAsync(context, Accepted(2));

        Assert.Equal(EndReasons.SandboxLost, result);
        Assert.Equal(EndReasons.SandboxLost, ((TeardownInput)activities[^1].Input!).EndReason);
    }
}
