using System.Net;
using System.Text.Json.Nodes;
using CodingAgent.Model;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Integration;

/// <summary>Follow-ups while busy queue in order; turns are pollable (202 → 200); cancel aborts one turn and keeps the session warm.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class TurnTests(TestEnvironment environment) : SelfHostTest(environment, "queuer")
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);
    private readonly SandboxInspector inspector = new(environment);
    [Fact]
    public async Task FollowUps_SentWhileTurnOneRuns_RunAsTurnsTwoToFourInOrderInTheSameSession()
    {
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(Host.BaseUrl, Key);
        string runId = (string)(await api.CreateRunAsync(new { repository = repo.Path, prompt = "sleep 5000\nwrite f1.txt: one", modelId = "scripted/model" }))["id"]!;
        await api.WaitForAsync(runId, r => (string)r["status"]! == "running" && (int)r["currentTurn"]! == 1, RunTimeout);

        List<int> numbers = [];
        JsonNode? last = null;
        for (int turn = 2; turn <= 4; turn++)
        {
            using HttpResponseMessage accepted = await api.PostAsync($"runs/{runId}/messages", new { prompt = $"write f{turn}.txt: turn {turn}" });
            JsonNode body = await ApiClient.BodyAsync(accepted);
            Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, body.ToJsonString());
            numbers.Add((int)body["turn"]!["number"]!);
            Assert.Equal("queued", (string)body["turn"]!["status"]!);
            Assert.Equal($"{Host.BaseUrl}api/v1/coding-agent/runs/{runId}/turns/{turn}", accepted.Headers.Location!.ToString());
            last = body;
        }

        Assert.Equal([2, 3, 4], numbers);
        Assert.Equal(3, (int)last!["run"]!["queuedTurns"]!);

        using (HttpResponseMessage pending = await api.GetAsync($"runs/{runId}/turns/4"))
        {
            Assert.Equal(HttpStatusCode.Accepted, pending.StatusCode);
            Assert.NotNull(pending.Headers.RetryAfter);
            Assert.Equal($"{Host.BaseUrl}api/v1/coding-agent/runs/{runId}/turns/4", pending.Headers.Location!.ToString());
        }

        (JsonNode done, _) = await api.WaitForAsync(runId, r => (string)r["status"]! == "idle" && (int)r["currentTurn"]! == 4, RunTimeout);
        Assert.Equal(0, (int)done["queuedTurns"]!);
        Assert.Equal(4, (int)done["patchStats"]!["filesChanged"]!);

        List<JsonNode> turns = [];
        for (int turn = 1; turn <= 4; turn++)
        {
            using HttpResponseMessage settled = await api.GetAsync($"runs/{runId}/turns/{turn}");
            Assert.Equal(HttpStatusCode.OK, settled.StatusCode);
            turns.Add((await ApiClient.BodyAsync(settled))["turn"]!);
        }

        Assert.All(turns, t => Assert.Equal("completed", (string)t["status"]!));
        for (int i = 1; i < turns.Count; i++)
        {
            Assert.True((DateTimeOffset)turns[i]["startedAt"]! >= (DateTimeOffset)turns[i - 1]["completedAt"]!, $"turn {i + 1} started before turn {i} completed");
        }

        string sandbox = Assert.Single(inspector.SandboxesOf(runId));
        Assert.Single(SandboxInspector.ProcessIds(sandbox));
        RunRecord record = await inspector.RunRecordAsync("queuer", runId);
        OpenCodeSession session = await OpenCodeSession.OpenAsync(Environment, record);
        IReadOnlyList<string> userMessages = await session.UserMessageIdsAsync();
        Assert.Equal(4, userMessages.Count);
        for (int turn = 1; turn <= 4; turn++)
        {
            Assert.True(File.Exists(Path.Combine(sandbox, "home", "repo", $"f{turn}.txt")));
        }
    }

    [Fact]
    public async Task Cancel_RunningTurn_SettlesCancelledAndTheSessionTakesTheNextPrompt()
    {
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(Host.BaseUrl, Key);
        string runId = (string)(await api.CreateRunAsync(new { repository = repo.Path, prompt = "say Ready.", modelId = "scripted/model" }))["id"]!;
        await api.WaitForAsync(runId, r => (string)r["status"]! == "idle", RunTimeout);

        using (HttpResponseMessage idleCancel = await api.PostAsync($"runs/{runId}/cancel", new { }))
        {
            Assert.Equal(HttpStatusCode.Conflict, idleCancel.StatusCode);
            Assert.Equal("no_turn_running", (string)(await ApiClient.BodyAsync(idleCancel))["code"]!);
        }

        using HttpResponseMessage slow = await api.PostAsync($"runs/{runId}/messages", new { prompt = "sleep 60000\nwrite never.txt: no" });
        Assert.Equal(HttpStatusCode.Accepted, slow.StatusCode);
        await WaitForTurnStatusAsync(api, runId, 2, "running");

        using HttpRequestMessage cancel = new(HttpMethod.Post, $"runs/{runId}/cancel");
        using HttpResponseMessage cancelled = await api.SendAsync(cancel);
        JsonNode cancelBody = await ApiClient.BodyAsync(cancelled);
        Assert.True(cancelled.StatusCode == HttpStatusCode.Accepted, cancelBody.ToJsonString());
        Assert.Equal(2, (int)cancelBody["turn"]!["number"]!);

        JsonNode turn2 = await WaitForTurnStatusAsync(api, runId, 2, "cancelled");
        Assert.Equal("turn_cancelled", (string)turn2["error"]!["code"]!);
        (JsonNode idle, _) = await api.WaitForAsync(runId, r => (string)r["status"]! == "idle" && (int)r["currentTurn"]! == 2, RunTimeout);
        Assert.True((bool)idle["sessionActive"]!);

        using HttpResponseMessage next = await api.PostAsync($"runs/{runId}/messages", new { prompt = "write after.txt: fine\nsay After the cancel." });
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
        (JsonNode after, _) = await api.WaitForAsync(runId, r => (string)r["status"]! == "idle" && (int)r["currentTurn"]! == 3, RunTimeout);
        Assert.Equal("After the cancel.", (string)after["assistantText"]!);
        string sandbox = Assert.Single(inspector.SandboxesOf(runId));
        Assert.False(File.Exists(Path.Combine(sandbox, "home", "repo", "never.txt")));
        Assert.True(File.Exists(Path.Combine(sandbox, "home", "repo", "after.txt")));
    }

    private static async Task<JsonNode> WaitForTurnStatusAsync(ApiClient api, string runId, int turn, string status)
    {
        using CancellationTokenSource limit = new(RunTimeout);
        while (true)
        {
            using HttpResponseMessage response = await api.GetAsync($"runs/{runId}/turns/{turn}");
            JsonNode body = (await ApiClient.BodyAsync(response))["turn"]!;
            if ((string)body["status"]! == status)
            {
                return body;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), limit.Token);
        }
    }
}
