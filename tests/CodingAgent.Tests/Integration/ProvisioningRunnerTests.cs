using System.Text.Json;
using CodingAgent.Application.Provisioning;
using CodingAgent.Application;
using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Application.Workflow;
using CodingAgent.Storage;
using CodingAgent.Tests.Support;
using Microsoft.Extensions.Options;
using NSubstitute;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// Provisioning is one activity of several phases on real storage: every step is a phase of the run record and its log,
/// a failing step marks its phase failed, and a retried attempt starts at the first step that has not succeeded.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ProvisioningRunnerTests(TestEnvironment environment)
{
    private static readonly RunKey Run = new("acme", "run_p");

    // The first attempt fails at the third step; the retry runs only that step and the ones after it.
    [Fact]
    public async Task RunAsync_RetryAfterAFailedStep_StartsAtTheFailedStep()
    {
        (ProvisioningRunner runner, RunStore runs, EventLog events) = await NewRunnerAsync();
        List<string> ran = [];
        bool thirdFails = true;
        IProvisioningStep[] steps =
        [
            Step(Phases.Sandbox, ran, r => r with { Repository = "changed/by-sandbox" }),
            Step(Phases.Clone, ran),
            Step(Phases.Bootstrap, ran, fail: () => thirdFails),
            Step(Phases.AgentStart, ran),
        ];

        InvalidOperationException failure = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunAsync(Run, steps, CancellationToken.None));
        thirdFails = false;
        await runner.RunAsync(Run, steps, CancellationToken.None);

        Assert.Equal("bootstrap broke", failure.Message);
        Assert.Equal([Phases.Sandbox, Phases.Clone, Phases.Bootstrap, Phases.Bootstrap, Phases.AgentStart], ran);
        RunRecord stored = (await runs.GetAsync(Run, CancellationToken.None))!;
        Assert.Equal("changed/by-sandbox", stored.Repository);
        Assert.Equal(RunStatuses.Provisioning, stored.Status);
        Assert.All(stored.Phases, p => Assert.Equal((RunProgress.Succeeded, true), (p.Status, p.DurationMs is not null)));
        Assert.Equal(
            ["sandbox:running", "sandbox:succeeded", "clone:running", "clone:succeeded", "bootstrap:running", "bootstrap:failed",
             "bootstrap:running", "bootstrap:succeeded", "agent_start:running", "agent_start:succeeded"],
            (await events.ReadAsync(Run.RunId, 0, 100, CancellationToken.None))
                .Where(e => e.Type == RunEventTypes.Phase)
                .Select(e => e.Data.GetProperty("name").GetString() + ":" + e.Data.GetProperty("status").GetString()));
    }

    // An attempt after all steps succeeded (the activity's result was lost) changes nothing.
    [Fact]
    public async Task RunAsync_EverythingSucceededBefore_RunsNoStep()
    {
        (ProvisioningRunner runner, RunStore runs, _) = await NewRunnerAsync();
        List<string> ran = [];
        IProvisioningStep[] steps = [Step(Phases.Sandbox, ran), Step(Phases.Clone, ran)];
        await runner.RunAsync(Run, steps, CancellationToken.None);
        string? etag = (await runs.GetAsync(Run, CancellationToken.None))!.ETag;

        await runner.RunAsync(Run, steps, CancellationToken.None);

        Assert.Equal([Phases.Sandbox, Phases.Clone], ran);
        Assert.Equal(etag, (await runs.GetAsync(Run, CancellationToken.None))!.ETag);
    }

    private async Task<(ProvisioningRunner Runner, RunStore Runs, EventLog Events)> NewRunnerAsync()
    {
        StorageClients clients = new(Options.Create(new StorageOptions { ConnectionString = environment.StorageConnectionString, NamePrefix = "pr" + Guid.NewGuid().ToString("N")[..10] }));
        RunStore runs = new(clients);
        EventLog events = new(clients, new EventLogSignals(), TimeProvider.System);
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        await runs.InsertAsync(new RunRecord
        {
            Account = Run.Account, RunId = Run.RunId, Status = RunStatuses.Queued, Repository = "acme/widgets", CloneUrl = "https://github.com/acme/widgets.git",
            ModelId = "m", TaskKind = TaskKinds.Code, ValidationMode = ValidationModes.Minimal, BillingMode = "managed", PublishMode = PublishModes.None,
            AcceptedTurns = 1, CreatedAt = now, UpdatedAt = now,
        }, CancellationToken.None);
        return (new ProvisioningRunner(new RunProgress(runs, events, TimeProvider.System)), runs, events);
    }

    private static IProvisioningStep Step(string phase, List<string> ran, Func<RunRecord, RunRecord>? change = null, Func<bool>? fail = null)
    {
        IProvisioningStep step = Substitute.For<IProvisioningStep>();
        step.Phase.Returns(phase);
        step.RunAsync(Arg.Any<RunRecord>(), Arg.Any<CancellationToken>()).Returns(_ =>
        {
            ran.Add(phase);
            return fail?.Invoke() == true
                ? Task.FromException<Func<RunRecord, RunRecord>?>(new InvalidOperationException($"{phase} broke"))
                : Task.FromResult(change);
        });
        return step;
    }
}
