using System.Text.Json;
using CodingAgent.Application;
using CodingAgent.Configuration;
using CodingAgent.Model;
using CodingAgent.Storage;
using CodingAgent.Tests.Support;
using Microsoft.Extensions.Options;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// Messages the queue door must refuse: each is recorded with its reason, retried up to the dequeue count and then moved
/// to the poison queue; nothing else in storage changes, and the host goes on with the next message.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class QueueDoorRejectionTests(TestEnvironment environment) : IAsyncLifetime
{
    private const string Account = "q-bad";
    private const string OtherAccount = "q-other";
    private const string GoodAccount = "q-good";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly QueueDoor door = new(environment, [Account, OtherAccount, GoodAccount]);
    private readonly string otherRunId = RunIds.New(TimeProvider.System.GetUtcNow());

    public async Task InitializeAsync()
    {
        await door.InitializeAsync();
        // A run of another account, as storage holds it: a message naming it from Account must not find it.
        RunStore runs = new(new StorageClients(Options.Create(new StorageOptions { ConnectionString = environment.StorageConnectionString, NamePrefix = door.NamePrefix })));
        await runs.InsertAsync(TestRuns.Record(OtherAccount, otherRunId, RunStatuses.Idle, TimeProvider.System.GetUtcNow()) with { SessionActive = true }, CancellationToken.None);
    }

    public Task DisposeAsync() => door.DisposeAsync();

    [Fact]
    public async Task BadMessages_AreRecordedWithTheirReason_EndInThePoisonQueue_AndChangeNothingElse()
    {
        using TestRepository repo = TestRepository.Create();
        string[] corpus = Corpus(repo.Path);
        StorageSnapshot before = await SnapshotAsync();

        List<string> ids = [];
        foreach (string message in corpus)
        {
            ids.Add(await door.SendTextAsync(message));
        }

        IReadOnlyList<string> poisoned = await door.PoisonedAsync(corpus.Length, Timeout);
        Assert.Equal(corpus.Order(StringComparer.Ordinal), poisoned.Order(StringComparer.Ordinal));
        List<QueueCommandRecord> records = [];
        foreach (string account in new[] { Account, "stranger", QueueCommandRecord.UnknownAccount })
        {
            records.AddRange(await door.RecordsAsync(account, _ => true, Timeout));
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), records.Select(r => r.MessageId).Order(StringComparer.Ordinal));
        Assert.All(records, r =>
        {
            Assert.Equal(QueueCommandOutcomes.Rejected, r.Outcome);
            Assert.False(string.IsNullOrWhiteSpace(r.Reason));
            Assert.Equal(QueueDoor.MaxDequeueCount, r.DequeueCount);
        });
        // Only the records changed (a table a command touched for the first time may have been created, empty).
        IReadOnlyList<string> changed = before.DifferencesTo(await SnapshotAsync())
            .Where(line => !line[2..].StartsWith(door.NamePrefix + StorageNames.QueueCommands + " ", StringComparison.Ordinal)
                && !line[2..].StartsWith("table ", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(changed);

        string good = await door.SendAsync(new
        {
            type = "run.create",
            account = GoodAccount,
            run = new { repository = repo.Path, prompt = "say After the bad ones.", modelId = "scripted/model" },
        });
        QueueCommandRecord accepted = Assert.Single(await door.RecordsAsync(GoodAccount, r => r.Count == 1, Timeout));
        Assert.Equal((good, QueueCommandOutcomes.Accepted), (accepted.MessageId, accepted.Outcome));
        await door.SendAsync(new { type = "run.end", account = GoodAccount, runId = accepted.RunId });
    }

    private Task<StorageSnapshot> SnapshotAsync() => StorageSnapshot.TakeAsync(environment.StorageConnectionString, door.NamePrefix, door.TaskHub);

    private string[] Corpus(string repository)
    {
        object Create(object run, string? replyTo = null, string? key = null) => new { type = "run.create", account = Account, idempotencyKey = key, replyTo, run };
        object goodRun = new { repository, prompt = "say Never.", modelId = "scripted/model" };
        string wellFormedMissing = RunIds.New(TimeProvider.System.GetUtcNow().AddMinutes(-1));
        object[] commands =
        [
            new { },
            new { type = "run.create" },
            new { type = "run.end", account = "a/b", runId = wellFormedMissing },
            new { type = "run.end", account = new string('a', 65), runId = wellFormedMissing },
            new { type = "run.end", account = "stranger", runId = wellFormedMissing },
            new { type = "run.delete", account = Account, runId = wellFormedMissing },
            new { type = "run.end", account = Account, runId = wellFormedMissing, extra = 1 },
            new { type = "run.end", account = Account, runId = 5 },
            new { type = "run.create", account = Account },
            Create(new { repository, modelId = "scripted/model" }),
            Create(new { prompt = "say Never.", modelId = "scripted/model" }),
            Create(goodRun, replyTo: "UPPER-case"),
            Create(goodRun, replyTo: "a"),
            Create(new { repository = "ftp://example.com/x", prompt = "say Never.", modelId = "scripted/model" }),
            Create(new { repository, prompt = "say Never.", modelId = "scripted/model", session = new { idleTimeoutSeconds = -1 } }),
            Create(new { repository, prompt = "say Never.", modelId = "scripted/model", validationMode = "bogus" }),
            Create(new { repository, prompt = "say Never.", modelId = "scripted/model", publish = new { mode = "bogus" } }),
            Create(goodRun, key: "bad\u0001key"),
            Create(goodRun, key: new string('k', 300)),
            Create(new { repository, prompt = new string('p', QueueDoor.MaxPromptCharacters + 1), modelId = "scripted/model" }),
            Create(new { repository, prompt = "say Never.", modelId = "scripted/model", continueFrom = otherRunId }),
            new { type = "run.message", account = Account, prompt = "say Never." },
            new { type = "run.message", account = Account, runId = "nope", prompt = "say Never." },
            new { type = "run.message", account = Account, runId = wellFormedMissing, prompt = "say Never." },
            new { type = "run.message", account = Account, runId = otherRunId, prompt = "say Never." },
            new { type = "run.message", account = Account, runId = otherRunId, prompt = "" },
            new { type = "run.end", account = Account },
            new { type = "run.end", account = Account, runId = otherRunId },
        ];
        return [
            "not json",
            "[1, 2]",
            "42",
            "null",
            "{\"type\": \"run.end\", \"account\": ",
            .. commands.Select(c => JsonSerializer.Serialize(c)),
        ];
    }
}
