using CodingAgent.Application;
using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Storage;
using CodingAgent.Tests.Support;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// A crash between a create's writes leaves nothing stuck (the trust boundary, item 8): the reconciler fails a run left
/// queued without an orchestration and frees its slot; runs that are merely young, or whose orchestration exists, stay.
/// Storage is Azurite; the durable client is mocked to say which instances exist.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class RunReconcilerTests(TestEnvironment environment)
{
    [Fact]
    public async Task Reconcile_QueuedRunWithoutOrchestration_FailsItAndFreesItsSlot()
    {
        IOptions<CodingAgentOptions> options = Options.Create(new CodingAgentOptions
        {
            Storage = new StorageOptions { ConnectionString = environment.StorageConnectionString, NamePrefix = "rc" + Guid.NewGuid().ToString("N")[..10] },
            Limits = new LimitOptions { ActiveSessionsPerAccount = 3 },
        });
        StorageClients clients = new(options.Storage());
        RunStore runs = new(clients);
        TurnStore turns = new(clients);
        EventLog events = new(clients, new EventLogSignals(), TimeProvider.System);
        ActiveSessionSlots slots = new(new SessionSlotStore(clients), runs, options.Limits(), TimeProvider.System);
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        string orphan = RunIds.New(now - TimeSpan.FromMinutes(10)), started = RunIds.New(now - TimeSpan.FromMinutes(9)), young = RunIds.New(now);
        foreach ((string id, DateTimeOffset createdAt) in new[] { (orphan, now.AddMinutes(-10)), (started, now.AddMinutes(-9)), (young, now) })
        {
            Assert.True(await slots.TryReserveAsync(new RunKey("acme", id), CancellationToken.None));
            await runs.InsertAsync(TestRuns.Record("acme", id, RunStatuses.Queued, createdAt), CancellationToken.None);
            await turns.InsertAsync(new TurnRecord { RunId = id, Turn = 1, Status = TurnStatuses.Queued, AcceptedAt = createdAt }, CancellationToken.None);
        }

        DurableTaskClient durable = Substitute.For<DurableTaskClient>("test");
        durable.GetInstanceAsync(started, false, Arg.Any<CancellationToken>())
            .Returns(new OrchestrationMetadata("RunOrchestrator", started) { RuntimeStatus = OrchestrationRuntimeStatus.Pending });
        RunReconciler reconciler = new(runs, turns, events, slots, TimeProvider.System, NullLogger<RunReconciler>.Instance);

        IReadOnlyList<string> failed = await reconciler.ReconcileAsync(durable, CancellationToken.None);

        Assert.Equal([orphan], failed);
        RunRecord closed = (await runs.GetAsync(new RunKey("acme", orphan), CancellationToken.None))!;
        Assert.Equal((RunStatuses.Failed, "orchestration_missing", false), (closed.Status, closed.Error?.Code, closed.SessionActive));
        Assert.Equal(TurnStatuses.Failed, (await turns.GetAsync(orphan, 1, CancellationToken.None))!.Status);
        Assert.Contains(await events.ReadAsync(orphan, 0, 10, CancellationToken.None), e => e.Type == RunEventTypes.RunStatus);
        Assert.Equal(2, await slots.CountAsync("acme", CancellationToken.None));
        Assert.Equal(RunStatuses.Queued, (await runs.GetAsync(new RunKey("acme", started), CancellationToken.None))!.Status);
        Assert.Equal(RunStatuses.Queued, (await runs.GetAsync(new RunKey("acme", young), CancellationToken.None))!.Status);
        Assert.Empty(await reconciler.ReconcileAsync(durable, CancellationToken.None));
    }
}
