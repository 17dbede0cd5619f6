using System.Text.Json.Nodes;
using CodingAgent.Model;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// The queue front door end to end: messages a producer puts on the command queue drive a run through the same
/// application layer as HTTP (real OpenCode, real git, the scripted model), and the run's <c>replyTo</c> queue hears of it.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class QueueDoorTests(QueueDoorTests.Door fixture) : IClassFixture<QueueDoorTests.Door>
{
    private const string Account = "queue-a";
    private const string DuplicateAccount = "queue-b";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);
    private readonly QueueDoor door = fixture.Queue;

    /// <summary>One self-host and its queues for the class (the tests use accounts of their own).</summary>
    public sealed class Door(TestEnvironment environment) : IAsyncLifetime
    {
        public QueueDoor Queue { get; } = new(environment, []);

        public Task InitializeAsync() => Queue.InitializeAsync();

        public Task DisposeAsync() => Queue.DisposeAsync();
    }

    [Fact]
    public async Task CreateMessageEnd_RunTwoTurnsInOneSession_AndTheReplyQueueHearsEachStepOnce()
    {
        using TestRepository repo = TestRepository.Create();
        string replyTo = door.Replies.Name;
        await door.SendAsync(new
        {
            type = "run.create",
            account = Account,
            idempotencyKey = "create-1",
            replyTo,
            run = new { repository = repo.Path, prompt = "write hello.txt: Hello from turn 1\nsay Created hello.txt.", modelId = "scripted/model" },
        });
        List<JsonNode> replies = [];
        await door.RepliesAsync(replies, 2, RunTimeout);
        string runId = (string)replies[0]["runId"]!;

        await door.SendAsync(new { type = "run.message", account = Account, runId, prompt = "edit hello.txt: turn 1 => turn 2\nsay Edited.", idempotencyKey = "msg-2" });
        await door.RepliesAsync(replies, 4, RunTimeout);
        await door.SendAsync(new { type = "run.end", account = Account, runId });
        await door.RepliesAsync(replies, 5, RunTimeout);

        Assert.Equal(
            ["turn.completed:1", "run.idle:1", "turn.completed:2", "run.idle:2", "run.completed:"],
            replies.Select(r => $"{(string)r["type"]!}:{(int?)r["turn"]}"));
        Assert.All(replies, r => Assert.Equal(runId, (string)r["runId"]!));
        Assert.All(replies.Take(4), r => Assert.Equal("completed", (string)r["turnStatus"]!));
        Assert.Equal(replies.Count, replies.Select(r => (string)r["id"]!).Distinct().Count());
        Assert.Equal("completed", (string)replies[4]["status"]!);

        using ApiClient api = new(door.Host.BaseUrl, await door.CreateKeyAsync(Account));
        JsonNode run = (await api.GetRunAsync(runId))["run"]!;
        Assert.Equal("completed", (string)run["status"]!);
        Assert.Equal(2, (int)run["currentTurn"]!);
        Assert.Equal("Edited.", (string)run["assistantText"]!);
        Assert.Equal(1, (int)run["patchStats"]!["filesChanged"]!);
        IReadOnlyList<QueueCommandRecord> records = await door.RecordsAsync(Account, r => r.Count == 3, RunTimeout);
        Assert.All(records, r => Assert.Equal(QueueCommandOutcomes.Accepted, r.Outcome));
        Assert.Equal(["run.create:1", "run.end:", "run.message:2"], records.Select(r => $"{r.Type}:{r.Turn}").Order(StringComparer.Ordinal));
        Assert.Equal(0, await door.RepliesWaitingAsync());
    }

    [Fact]
    public async Task SameCreateEnqueuedTwice_MakesOneRun()
    {
        using TestRepository repo = TestRepository.Create();
        object create = new
        {
            type = "run.create",
            account = DuplicateAccount,
            idempotencyKey = "duplicated-create",
            run = new { repository = repo.Path, prompt = "say Once.", modelId = "scripted/model" },
        };
        string first = await door.SendAsync(create);
        string second = await door.SendAsync(create);

        IReadOnlyList<QueueCommandRecord> records = await door.RecordsAsync(DuplicateAccount, r => r.Count == 2, RunTimeout);

        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), records.Select(r => r.MessageId).Order(StringComparer.Ordinal));
        Assert.Equal([QueueCommandOutcomes.Accepted, QueueCommandOutcomes.Replayed], records.Select(r => r.Outcome).Order(StringComparer.Ordinal));
        Assert.Single(records.Select(r => r.RunId).Distinct());
        using ApiClient api = new(door.Host.BaseUrl, await door.CreateKeyAsync(DuplicateAccount));
        using HttpResponseMessage list = await api.GetAsync("runs");
        JsonArray runs = (await ApiClient.BodyAsync(list))["runs"]!.AsArray();
        Assert.Equal(records[0].RunId, (string)Assert.Single(runs)!["id"]!);
        await door.SendAsync(new { type = "run.end", account = DuplicateAccount, runId = records[0].RunId });
        await api.WaitForAsync(records[0].RunId!, r => (string)r["status"]! == "completed", RunTimeout);
    }
}
