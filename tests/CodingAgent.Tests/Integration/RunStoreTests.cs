using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Storage;
using CodingAgent.Tests.Support;
using Microsoft.Extensions.Options;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// Run updates start from the copy the process last wrote (no read); two stores stand for two processes on one table,
/// so each one's copy goes stale when the other writes.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class RunStoreTests(TestEnvironment environment)
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private RunStore NewStore(string prefix) => new(new StorageClients(Options.Create(new StorageOptions { ConnectionString = environment.StorageConnectionString, NamePrefix = prefix })));

    // The other process's write makes this one's copy stale: the write is refused (412), the run read again, and
    // both changes survive.
    [Fact]
    public async Task UpdateAsync_CopyWrittenByAnotherProcessSince_ReadsAgainAndKeepsBothChanges()
    {
        string prefix = "rs" + Guid.NewGuid().ToString("N")[..10];
        RunStore first = NewStore(prefix), second = NewStore(prefix);
        await first.InsertAsync(Run("run_a"), CancellationToken.None);

        await first.UpdateAsync(new RunKey("acme", "run_a"), r => r with { CompletedTurns = 1 }, CancellationToken.None);
        await second.UpdateAsync(new RunKey("acme", "run_a"), r => r with { Tags = ["from-second"] }, CancellationToken.None);
        RunRecord last = await first.UpdateAsync(new RunKey("acme", "run_a"), r => r with { AcceptedTurns = r.AcceptedTurns + 1 }, CancellationToken.None);

        RunRecord stored = (await NewStore(prefix).GetAsync(new RunKey("acme", "run_a"), CancellationToken.None))!;
        Assert.Equal((1, 2), (stored.CompletedTurns, stored.AcceptedTurns));
        Assert.Equal(["from-second"], stored.Tags);
        Assert.Equal(stored.ETag, last.ETag);
    }

    // "Nothing to change" is decided on the stored run, never on a stale copy: here the copy says the change is not
    // needed, the stored run says it is.
    [Fact]
    public async Task UpdateAsync_NoChangeOnAStaleCopy_DecidesOnTheStoredRun()
    {
        string prefix = "rs" + Guid.NewGuid().ToString("N")[..10];
        RunStore first = NewStore(prefix), second = NewStore(prefix);
        await first.InsertAsync(Run("run_b") with { EndRequested = true }, CancellationToken.None);
        await second.UpdateAsync(new RunKey("acme", "run_b"), r => r with { EndRequested = false }, CancellationToken.None);

        RunRecord result = await first.UpdateAsync(new RunKey("acme", "run_b"), r => r.EndRequested ? null : r with { EndRequested = true, Tags = ["ended"] }, CancellationToken.None);

        Assert.Equal(["ended"], result.Tags);
        Assert.Equal(["ended"], (await NewStore(prefix).GetAsync(new RunKey("acme", "run_b"), CancellationToken.None))!.Tags);
    }

    private static RunRecord Run(string id) => new()
    {
        Account = "acme", RunId = id, Status = RunStatuses.Idle, Repository = "acme/widgets", CloneUrl = "https://github.com/acme/widgets.git",
        ModelId = "m", TaskKind = TaskKinds.Code, ValidationMode = ValidationModes.Minimal, BillingMode = "managed", PublishMode = PublishModes.None,
        AcceptedTurns = 1, CreatedAt = At, UpdatedAt = At,
    };
}
