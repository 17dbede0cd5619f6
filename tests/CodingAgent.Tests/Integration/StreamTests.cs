using System.Net;
using System.Text.Json.Nodes;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// The SSE stream is lossless: whatever a client receives across disconnects, reconnects and a control-plane restart,
/// the union is exactly the stored log — no gap, no duplicate, in order.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class StreamTests(TestEnvironment environment, Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    // A turn with events before and after a pause, so a client can drop out in the middle of it.
    private const string LongTurn = "write one.txt: first\nsleep 4000\nwrite two.txt: second\nsay Both files written.";

    [Fact]
    public async Task Stream_ClientReconnectsMidTurn_UnionEqualsStoredLog()
    {
        Dictionary<string, string> settings = environment.Environment();
        settings["CodingAgent__Stream__HeartbeatSeconds"] = "1";
        await using SelfHostProcess host = await SelfHostProcess.StartAsync(settings);
        using ApiClient api = new(host.BaseUrl, await environment.CreateKeyAsync("streamer"));
        using TestRepository repo = TestRepository.Create();
        string runId = (string)(await api.CreateRunAsync(new { repository = repo.Path, prompt = LongTurn, modelId = "scripted/model" }))["id"]!;

        List<SseMessage> received = [];
        string lastId = await ReadUntilAsync(api, runId, null, received, m => m.Event == "builder.event" && m.Data!.Contains("one.txt", StringComparison.Ordinal));
        Assert.Equal("running", (string)(await api.GetRunAsync(runId))["run"]!["status"]!);
        int replayed = received.Count;

        // Reconnect where the first connection stopped, and stay until the turn is done.
        await ReadUntilEndAsync(api, runId, lastId, "?untilIdle=1", received);

        JsonArray stored = (await api.GetRunAsync(runId, events: true))["events"]!.AsArray();
        List<SseMessage> events = received.Where(m => !m.IsComment).ToList();
        Assert.Equal(stored.Select(e => (long)e!["seq"]!), events.Select(m => long.Parse(m.Id!)));
        Assert.All(events.Zip(stored), pair =>
        {
            string type = (string)pair.Second!["type"]!;
            Assert.Equal(type == "run.status" ? "run.status" : "builder.event", pair.First.Event);
            JsonNode data = JsonNode.Parse(pair.First.Data!)!;
            Assert.True(JsonNode.DeepEquals(type == "run.status" ? pair.Second["data"] : pair.Second, data), $"{pair.First.Data} vs {pair.Second.ToJsonString()}");
        });
        Assert.Equal("idle", (string)JsonNode.Parse(events[^1].Data!)!["status"]!);
        Assert.Contains(received, m => m.Comment == "heartbeat");

        // For the record (not asserted): how long a live event took from its append to this client.
        IEnumerable<double> live = received.Skip(replayed).Where(m => m.Event == "builder.event" && m.ReceivedAt is not null)
            .Select(m => (m.ReceivedAt!.Value - (DateTimeOffset)JsonNode.Parse(m.Data!)!["at"]!).TotalMilliseconds).Order();
        output.WriteLine($"append → client latency (ms) of live builder events: {string.Join(", ", live.Select(l => l.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    [Fact]
    public async Task Stream_SelfHostKilledMidTurn_ResumesOnRestartWithoutGapOrDuplicate()
    {
        Dictionary<string, string> settings = environment.Environment();
        string key = await environment.CreateKeyAsync("restarter");
        using TestRepository repo = TestRepository.Create();
        List<SseMessage> received = [];
        string runId;
        string lastId;
        int port;
        await using (SelfHostProcess first = await SelfHostProcess.StartAsync(settings))
        {
            port = first.BaseUrl.Port;
            using ApiClient api = new(first.BaseUrl, key);
            runId = (string)(await api.CreateRunAsync(new { repository = repo.Path, prompt = LongTurn, modelId = "scripted/model" }))["id"]!;
            lastId = await ReadUntilAsync(api, runId, null, received, m => m.Event == "builder.event" && m.Data!.Contains("one.txt", StringComparison.Ordinal));
            await first.KillAsync();
        }

        // A restart comes back where it was: the sandbox's OpenCode keeps the model gateway's address it started with.
        await using SelfHostProcess second = await SelfHostProcess.StartAsync(settings, port);
        using ApiClient again = new(second.BaseUrl, key);
        await ReadUntilEndAsync(again, runId, lastId, "?untilIdle=1", received);

        JsonArray stored = (await again.GetRunAsync(runId, events: true))["events"]!.AsArray();
        Assert.Equal(stored.Select(e => (long)e!["seq"]!), received.Where(m => !m.IsComment).Select(m => long.Parse(m.Id!)));
        JsonNode run = (await again.GetRunAsync(runId))["run"]!;
        Assert.Equal("Both files written.", (string)run["assistantText"]!);
        Assert.Equal(2, (int)run["patchStats"]!["filesChanged"]!);
    }

    [Fact]
    public async Task Stream_FinishedRun_ReplaysAndEndsAfterFinalStatus_AfterParameterResumes()
    {
        await using SelfHostProcess host = await SelfHostProcess.StartAsync(environment.Environment());
        using ApiClient api = new(host.BaseUrl, await environment.CreateKeyAsync("finisher"));
        using TestRepository repo = TestRepository.Create();
        string runId = (string)(await api.CreateRunAsync(new { repository = repo.Path, prompt = "say Nothing to change.", modelId = "scripted/model" }))["id"]!;
        await api.WaitForAsync(runId, r => (string)r["status"]! == "idle", RunTimeout);
        using HttpResponseMessage ended = await api.PostAsync($"runs/{runId}/messages", new { endSession = true });
        Assert.Equal(HttpStatusCode.Accepted, ended.StatusCode);
        await api.WaitForAsync(runId, r => (string)r["status"]! == "completed", RunTimeout);

        List<SseMessage> all = [];
        await ReadUntilEndAsync(api, runId, null, string.Empty, all);
        JsonArray stored = (await api.GetRunAsync(runId, events: true))["events"]!.AsArray();
        List<SseMessage> events = all.Where(m => !m.IsComment).ToList();
        Assert.Equal(stored.Select(e => (long)e!["seq"]!), events.Select(m => long.Parse(m.Id!)));
        Assert.Equal("run.status", events[^1].Event);
        Assert.Equal("completed", (string)JsonNode.Parse(events[^1].Data!)!["status"]!);

        List<SseMessage> tail = [];
        await ReadUntilEndAsync(api, runId, null, $"?after={events[^3].Id}", tail);
        Assert.Equal(events.TakeLast(2).Select(m => m.Id), tail.Where(m => !m.IsComment).Select(m => m.Id));

        List<SseMessage> nothing = [];
        await ReadUntilEndAsync(api, runId, events[^1].Id, string.Empty, nothing);
        Assert.DoesNotContain(nothing, m => !m.IsComment);
    }

    /// <summary>Reads until <paramref name="stop"/> holds for a message, then drops the connection; returns the last event id.</summary>
    private static async Task<string> ReadUntilAsync(ApiClient api, string runId, string? lastEventId, List<SseMessage> into, Func<SseMessage, bool> stop)
    {
        using CancellationTokenSource limit = new(RunTimeout);
        using HttpResponseMessage response = await api.OpenStreamAsync(runId, lastEventId);
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType!.ToString());
        await using Stream body = await response.Content.ReadAsStreamAsync(limit.Token);
        await foreach (SseMessage message in SseReader.ReadAsync(body, limit.Token))
        {
            into.Add(message);
            if (stop(message))
            {
                return message.Id!;
            }
        }

        throw new InvalidOperationException("The stream ended before the expected event.");
    }

    /// <summary>Reads until the server ends the stream.</summary>
    private static async Task ReadUntilEndAsync(ApiClient api, string runId, string? lastEventId, string query, List<SseMessage> into)
    {
        using CancellationTokenSource limit = new(RunTimeout);
        using HttpResponseMessage response = await api.OpenStreamAsync(runId, lastEventId, query);
        await using Stream body = await response.Content.ReadAsStreamAsync(limit.Token);
        await foreach (SseMessage message in SseReader.ReadAsync(body, limit.Token))
        {
            into.Add(message);
        }
    }
}
