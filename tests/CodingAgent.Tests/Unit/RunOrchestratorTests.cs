using CodingAgent.Model;
using CodingAgent.Application.Workflow;
using CodingAgent.Orchestrations;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;

namespace CodingAgent.Tests.Unit;

/// <summary>The orchestration's branches with a substituted context: which activity runs, in which order, with what end.</summary>
public sealed class RunOrchestratorTests
{
    private static readonly DateTime Now = new(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Expiry = Now.AddMinutes(15);
    private readonly TaskOrchestrationContext context = Substitute.For<TaskOrchestrationContext>();
    private readonly List<(string Name, object? Input)> activities = [];

    public RunOrchestratorTests()
    {
        context.CurrentUtcDateTime.Returns(Now);
        context.CreateReplaySafeLogger(Arg.Any<string>()).Returns(NullLogger.Instance);
        context.CreateTimer(Arg.Any<DateTime>(), Arg.Any<CancellationToken>()).Returns(new TaskCompletionSource().Task);
        context.WaitForExternalEvent<EndSessionSignal>(RunEvents.EndSession, Arg.Any<CancellationToken>()).Returns(new TaskCompletionSource<EndSessionSignal>().Task);
        context.WaitForExternalEvent<MessageSignal>(RunEvents.Message, Arg.Any<CancellationToken>()).Returns(new TaskCompletionSource<MessageSignal>().Task);
        context.CallActivityAsync(Arg.Any<TaskName>(), Arg.Any<object?>(), Arg.Any<TaskOptions?>())
            .Returns(Task.CompletedTask)
            .AndDoes(call => activities.Add((call.Arg<TaskName>().Name, call.ArgAt<object?>(1))));
        context.CallActivityAsync<TurnOutcome>(ActivityNames.RunTurn, Arg.Any<object?>(), Arg.Any<TaskOptions?>())
            .Returns(call =>
            {
                TurnInput input = (TurnInput)call.ArgAt<object?>(1)!;
                activities.Add((ActivityNames.RunTurn, input));
                return Task.FromResult(new TurnOutcome(input.Turn, true, Expiry));
            });
    }

    private static RunState Ready(int lastTurn = 1, int generation = 1) =>
        new("acme", "run_1", Provisioned: true, HighestAcceptedTurn: lastTurn, LastTurn: lastTurn, ExpiresAtUtc: Expiry, TurnsThisGeneration: generation);

    // A new run provisions in order, runs turn 1, then idles until something wins.
    [Fact]
    public async Task RunAsync_NewRunEndSessionWins_ProvisionsRunsTurnOneThenTearsDown()
    {
        TaskCompletionSource<EndSessionSignal> end = new();
        context.WaitForExternalEvent<EndSessionSignal>(RunEvents.EndSession, Arg.Any<CancellationToken>()).Returns(end.Task);
        context.CreateTimer(Arg.Any<DateTime>(), Arg.Any<CancellationToken>()).Returns(_ =>
        {
            end.TrySetResult(new EndSessionSignal("requested"));
            return new TaskCompletionSource().Task;
        });

        string result = await RunOrchestrator.RunAsync(context, new RunState("acme", "run_1"));

        Assert.Equal(EndReasons.EndSession, result);
        Assert.Equal(
            [ActivityNames.ProvisionRun, ActivityNames.RunTurn, ActivityNames.TeardownRun],
            activities.Select(a => a.Name));
        Assert.Equal(EndReasons.EndSession, ((TeardownInput)activities[^1].Input!).EndReason);
    }

    // The control plane found the idle run's sandbox gone: the run ends as sandbox_lost, not as a requested end.
    [Fact]
    public async Task RunAsync_EndSessionForALostSandbox_TearsDownAsSandboxLost()
    {
        context.WaitForExternalEvent<EndSessionSignal>(RunEvents.EndSession, Arg.Any<CancellationToken>())
            .Returns(Task.FromResult(new EndSessionSignal(EndReasons.SandboxLost)));

        string result = await RunOrchestrator.RunAsync(context, Ready());

        Assert.Equal(EndReasons.SandboxLost, result);
        Assert.Equal(EndReasons.SandboxLost, ((TeardownInput)Assert.Single(activities).Input!).EndReason);
    }

    // Message wins: the next turn runs; the idle timer it replaced is cancelled.
    [Fact]
    public async Task RunAsync_MessageWins_RunsNextTurnAndCancelsTimer()
    {
        List<CancellationToken> timerTokens = [];
        TaskCompletionSource<EndSessionSignal> end = new();
        context.WaitForExternalEvent<EndSessionSignal>(RunEvents.EndSession, Arg.Any<CancellationToken>()).Returns(end.Task);
        context.CreateTimer(Arg.Any<DateTime>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            timerTokens.Add(call.Arg<CancellationToken>());
            return new TaskCompletionSource().Task;
        });
        context.WaitForExternalEvent<MessageSignal>(RunEvents.Message, Arg.Any<CancellationToken>())
            .Returns(Task.FromResult(new MessageSignal(2)), new TaskCompletionSource<MessageSignal>().Task);
        context.When(c => c.CallActivityAsync<TurnOutcome>(ActivityNames.RunTurn, Arg.Any<object?>(), Arg.Any<TaskOptions?>()))
            .Do(_ => end.TrySetResult(new EndSessionSignal("requested")));

        string result = await RunOrchestrator.RunAsync(context, Ready());

        Assert.Equal(EndReasons.EndSession, result);
        Assert.Equal(2, ((TurnInput)Assert.Single(activities, a => a.Name == ActivityNames.RunTurn).Input!).Turn);
        Assert.True(timerTokens[0].IsCancellationRequested);
    }

    // A duplicate delivery (turn already run) starts no turn.
    [Fact]
    public async Task RunAsync_DuplicateMessage_IsIgnored()
    {
        TaskCompletionSource<EndSessionSignal> end = new();
        context.WaitForExternalEvent<EndSessionSignal>(RunEvents.EndSession, Arg.Any<CancellationToken>()).Returns(end.Task);
        int waits = 0;
        context.WaitForExternalEvent<MessageSignal>(RunEvents.Message, Arg.Any<CancellationToken>()).Returns(_ =>
        {
            waits++;
            if (waits == 1)
            {
                return Task.FromResult(new MessageSignal(1));
            }

            end.TrySetResult(new EndSessionSignal("requested"));
            return new TaskCompletionSource<MessageSignal>().Task;
        });

        string result = await RunOrchestrator.RunAsync(context, Ready(lastTurn: 1));

        Assert.Equal(EndReasons.EndSession, result);
        Assert.DoesNotContain(activities, a => a.Name == ActivityNames.RunTurn);
        Assert.Equal(2, waits);
    }

    // Timer wins: torn down as expired, at exactly the absolute expiry carried in the state.
    [Fact]
    public async Task RunAsync_TimerWins_TearsDownAsExpired()
    {
        context.CurrentUtcDateTime.Returns(Now, Expiry.AddSeconds(-1), Expiry);
        context.CreateTimer(Expiry, Arg.Any<CancellationToken>()).Returns(Task.CompletedTask);

        string result = await RunOrchestrator.RunAsync(context, Ready());

        Assert.Equal(EndReasons.Expired, result);
        Assert.Equal(EndReasons.Expired, ((TeardownInput)Assert.Single(activities).Input!).EndReason);
        _ = context.Received(2).CreateTimer(Expiry, Arg.Any<CancellationToken>()); // fired a second early once, re-armed

    }

    // Provisioning failure compensates: teardown runs with its message (the failed phase is on the run record); no turn is attempted.
    [Fact]
    public async Task RunAsync_ProvisioningFails_CompensatesWithTeardownAndNoTurn()
    {
        context.CallActivityAsync(ActivityNames.ProvisionRun, Arg.Any<object?>(), Arg.Any<TaskOptions?>())
            .Returns(Task.FromException(new TaskFailedException(ActivityNames.ProvisionRun, 1, new TaskFailureDetails("SandboxException", "git clone failed: nope", null, null, null))));

        string result = await RunOrchestrator.RunAsync(context, new RunState("acme", "run_1"));

        Assert.Equal(EndReasons.Failed, result);
        TeardownInput teardown = (TeardownInput)activities.Single(a => a.Name == ActivityNames.TeardownRun).Input!;
        Assert.Equal((EndReasons.Failed, (string?)null, "git clone failed: nope"), (teardown.EndReason, teardown.FailedPhase, teardown.ErrorMessage));
        Assert.DoesNotContain(activities, a => a.Name is ActivityNames.RunTurn);
    }

    // Teardown that cannot reach the sandbox provider still closes the run; the sandbox is left to the janitor.
    [Fact]
    public async Task RunAsync_TeardownKeepsFailing_ClosesTheRunLeavingTheSandboxToTheJanitor()
    {
        context.WaitForExternalEvent<EndSessionSignal>(RunEvents.EndSession, Arg.Any<CancellationToken>())
            .Returns(Task.FromResult(new EndSessionSignal("requested")));
        context.CallActivityAsync(ActivityNames.TeardownRun, Arg.Is<object?>(i => !((TeardownInput)i!).LeaveSandboxToJanitor), Arg.Any<TaskOptions?>())
            .Returns(Task.FromException(new TaskFailedException(ActivityNames.TeardownRun, 1, new TaskFailureDetails("SandboxException", "E2B unreachable", null, null, null))));

        string result = await RunOrchestrator.RunAsync(context, Ready());

        Assert.Equal(EndReasons.EndSession, result);
        List<TeardownInput> teardowns = [.. activities.Where(a => a.Name == ActivityNames.TeardownRun).Select(a => (TeardownInput)a.Input!)];
        Assert.Equal([false, true], teardowns.Select(t => t.LeaveSandboxToJanitor));
        Assert.All(teardowns, t => Assert.Equal(EndReasons.EndSession, t.EndReason));
    }

    // After a generation's worth of turns the orchestration continues as new, carrying its state and unprocessed events.
    [Fact]
    public async Task RunAsync_GenerationFull_ContinuesAsNewWithState()
    {
        RunState? carried = null;
        context.When(c => c.ContinueAsNew(Arg.Any<object?>(), Arg.Any<bool>())).Do(call => carried = (RunState)call.ArgAt<object?>(0)!);
        RunState state = Ready(lastTurn: 9, generation: RunOrchestrator.TurnsPerGeneration - 1) with { HighestAcceptedTurn = 10 };

        string result = await RunOrchestrator.RunAsync(context, state);

        Assert.Equal("continued", result);
        context.Received(1).ContinueAsNew(Arg.Any<object?>(), true);
        Assert.Equal(state with { LastTurn = 10, TurnsThisGeneration = 0 }, carried);
    }

    // A sandbox that vanished mid-session ends the run as sandbox_lost.
    [Fact]
    public async Task RunAsync_SessionLostDuringTurn_TearsDownAsSandboxLost()
    {
        context.CallActivityAsync<TurnOutcome>(ActivityNames.RunTurn, Arg.Any<object?>(), Arg.Any<TaskOptions?>())
            .Returns(Task.FromResult(new TurnOutcome(2, false, Now)));

        string result = await RunOrchestrator.RunAsync(context, Ready() with { HighestAcceptedTurn = 2 });

        Assert.Equal(EndReasons.SandboxLost, result);
    }
}
