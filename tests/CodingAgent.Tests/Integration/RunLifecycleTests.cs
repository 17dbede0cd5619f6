using System.Net;
using System.Text.Json.Nodes;
using CodingAgent.Model;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// The spine end to end, as the README's walk-through does it: a key from the command-line entry, the self-host as its own
/// process on Azurite, real git, real <c>opencode serve</c>, the scripted model — all over HTTP.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class RunLifecycleTests(TestEnvironment environment, Xunit.Abstractions.ITestOutputHelper output) : SelfHostTest(environment, "acme")
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);
    private readonly SandboxInspector inspector = new(environment);
    // Items 3–6 of the spine: create → idle, a warm follow-up in the same sandbox and OpenCode process, end session, 409 after.
    [Fact]
    public async Task Run_CreateFollowUpEnd_KeepsOneWarmSessionThenTearsDown()
    {
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(Host.BaseUrl, Key);

        using HttpResponseMessage created = await api.PostAsync("runs", new
        {
            repository = repo.Path,
            prompt = "write hello.txt: Hello from turn 1\nsay Created hello.txt.",
            modelId = "anthropic/claude-sonnet-4.6",
        });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        JsonNode createdRun = (await ApiClient.BodyAsync(created))["run"]!;
        string runId = (string)createdRun["id"]!;
        Assert.Equal("queued", (string)createdRun["status"]!);
        Assert.EndsWith($"/runs/{runId}/turns/1", created.Headers.Location!.ToString());
        Assert.NotNull(created.Headers.RetryAfter);

        (JsonNode idle, _) = await api.WaitForAsync(runId, r => (string)r["status"]! == "idle", RunTimeout);
        Assert.True((bool)idle["sessionActive"]!);
        Assert.NotNull((string?)idle["sessionExpiresAt"]);
        Assert.Equal("Created hello.txt.", (string)idle["assistantText"]!);
        Assert.Equal(1, (int)idle["patchStats"]!["filesChanged"]!);
        Assert.Equal(1, (int)idle["patchStats"]!["additions"]!);
        Assert.Equal(repo.Git("rev-parse", "HEAD"), (string)idle["baseSha"]!);
        Assert.Equal("main", (string)idle["ref"]!);
        string[] phases = idle["phases"]!.AsArray().Select(p => (string)p!["name"]!).ToArray();
        Assert.Equal(["sandbox", "clone", "bootstrap", "agent_start", "turn"], phases);
        Assert.All(idle["phases"]!.AsArray(), p => Assert.True((long)p!["durationMs"]! >= 0));

        JsonNode withEvents = await api.GetRunAsync(runId, events: true);
        JsonArray events = withEvents["events"]!.AsArray();
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => (long)e!["seq"]!));
        Assert.Equal(["queued", "provisioning", "running", "idle"],
            events.Where(e => (string)e!["type"]! == "run.status").Select(e => (string)e!["data"]!["status"]!));
        Assert.Contains(events, e => (string)e!["type"]! == "agent.tool" && (string)e["data"]!["tool"]! == "write" && (string)e["data"]!["status"]! == "completed");
        Assert.Contains(events, e => (string)e!["type"]! == "agent.file" && (string)e["data"]!["path"]! == "hello.txt");
        Assert.Contains(events, e => (string)e!["type"]! == "agent.text" && (string)e["data"]!["text"]! == "Created hello.txt.");

        string sandbox = Assert.Single(inspector.SandboxesOf(runId));
        Assert.Equal("Hello from turn 1\n", File.ReadAllText(Path.Combine(sandbox, "home", "repo", "hello.txt")));
        int openCodePid = Assert.Single(SandboxInspector.ProcessIds(sandbox));
        RunRecord afterTurn1 = await inspector.RunRecordAsync("acme", runId);

        System.Diagnostics.Stopwatch warm = System.Diagnostics.Stopwatch.StartNew();
        using HttpResponseMessage followUp = await api.PostAsync($"runs/{runId}/messages", new { prompt = "edit hello.txt: turn 1 => turn 2\nsay Edited hello.txt." });
        Assert.Equal(HttpStatusCode.Accepted, followUp.StatusCode);
        Assert.EndsWith($"/runs/{runId}/turns/2", followUp.Headers.Location!.ToString());
        Assert.Equal(2, (int)(await ApiClient.BodyAsync(followUp))["turn"]!["number"]!);

        (JsonNode second, _) = await api.WaitForAsync(runId, r => (int)r["currentTurn"]! == 2 && (string)r["status"]! == "idle", RunTimeout);
        output.WriteLine($"warm follow-up POST→idle (200 ms polling): {warm.ElapsedMilliseconds} ms");
        ReportTimings(idle, second);
        Assert.Equal("Edited hello.txt.", (string)second["assistantText"]!);
        Assert.Equal("Hello from turn 2\n", File.ReadAllText(Path.Combine(sandbox, "home", "repo", "hello.txt")));
        Assert.Equal(sandbox, Assert.Single(inspector.SandboxesOf(runId)));
        Assert.Equal([openCodePid], SandboxInspector.ProcessIds(sandbox));
        Assert.True(SandboxInspector.IsAlive(openCodePid));
        RunRecord afterTurn2 = await inspector.RunRecordAsync("acme", runId);
        Assert.Equal(afterTurn1.Agent!.SessionId, afterTurn2.Agent!.SessionId);
        Assert.Single(second["phases"]!.AsArray(), p => (string)p!["name"]! == "clone");

        using HttpResponseMessage end = await api.PostAsync($"runs/{runId}/messages", new { endSession = true });
        Assert.Equal(HttpStatusCode.Accepted, end.StatusCode);
        (JsonNode completed, _) = await api.WaitForAsync(runId, r => (string)r["status"]! == "completed", RunTimeout);
        Assert.False((bool)completed["sessionActive"]!);
        Assert.Equal("end_session", (string)completed["endReason"]!);
        Assert.Empty(inspector.SandboxesOf(runId));
        Assert.False(Directory.Exists(sandbox));
        Assert.False(SandboxInspector.IsAlive(openCodePid));

        // Usage as OpenCode reported it (the scripted model serves half of each prompt from "cache"), each turn counted
        // once; sandbox seconds: each turn's share since the previous one, the run's the whole life, idle and teardown included.
        JsonNode turn1 = await api.GetSettledTurnAsync(runId, 1), turn2 = await api.GetSettledTurnAsync(runId, 2);
        JsonNode usage = completed["usage"]!;
        foreach (JsonNode turnUsage in new[] { turn1["usage"]!, turn2["usage"]! })
        {
            Assert.True((long)turnUsage["inputTokens"]! > 0 && (long)turnUsage["outputTokens"]! > 0, turnUsage.ToJsonString());
            Assert.True((long)turnUsage["cacheReadTokens"]! > 0, turnUsage.ToJsonString());
        }

        foreach (string tokens in new[] { "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens" })
        {
            Assert.Equal((long)turn1["usage"]![tokens]! + (long)turn2["usage"]![tokens]!, (long)usage[tokens]!);
        }

        long lifetime = (long)Math.Floor((DateTimeOffset.Parse((string)completed["updatedAt"]!) - DateTimeOffset.Parse((string)createdRun["createdAt"]!)).TotalSeconds);
        Assert.InRange((long)usage["sandboxSeconds"]!, (long)turn1["usage"]!["sandboxSeconds"]! + (long)turn2["usage"]!["sandboxSeconds"]!, lifetime);

        using HttpResponseMessage late = await api.PostAsync($"runs/{runId}/messages", new { prompt = "one more thing" });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal("application/problem+json", late.Content.Headers.ContentType!.MediaType);
        JsonNode problem = await ApiClient.BodyAsync(late);
        Assert.Equal("session_inactive", (string)problem["code"]!);
        Assert.Equal("ended", (string)problem["reason"]!);
        Assert.Equal(runId, (string)problem["fallback"]!["continueFrom"]!);
        Assert.Equal("one more thing", (string)problem["fallback"]!["prompt"]!);
        Assert.Equal(repo.Path, (string)problem["fallback"]!["repository"]!);
    }

    // Not an assertion: the measured cold and warm timings, for the record (README numbers come from here).
    private void ReportTimings(JsonNode firstIdle, JsonNode secondIdle)
    {
        DateTimeOffset created = DateTimeOffset.Parse((string)firstIdle["createdAt"]!);
        DateTimeOffset idleAt = DateTimeOffset.Parse((string)firstIdle["updatedAt"]!);
        output.WriteLine($"cold create→idle: {(idleAt - created).TotalMilliseconds:0} ms");
        foreach (JsonNode? phase in secondIdle["phases"]!.AsArray())
        {
            output.WriteLine($"  {phase!["name"]}{(phase["turn"] is null ? string.Empty : " " + phase["turn"])}: {phase["durationMs"]} ms");
        }
    }

    // Item 7: the durable timer at the absolute sessionExpiresAt tears an idle run down.
    [Fact]
    public async Task Run_IdlePastTimeout_IsTornDownAsExpired()
    {
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(Host.BaseUrl, Key);
        JsonNode run = await api.CreateRunAsync(new
        {
            repository = repo.Path,
            prompt = "say Nothing to change.",
            modelId = "scripted/model",
            session = new { idleTimeoutSeconds = 3 },
        });
        string runId = (string)run["id"]!;

        (JsonNode idle, _) = await api.WaitForAsync(runId, r => (string)r["status"]! is "idle" or "completed" or "failed", RunTimeout);
        string sandbox = Assert.Single(inspector.SandboxesOf(runId));
        int pid = Assert.Single(SandboxInspector.ProcessIds(sandbox));

        (JsonNode expired, _) = await api.WaitForAsync(runId, r => (string)r["status"]! == "completed", RunTimeout);
        Assert.Equal("expired", (string)expired["endReason"]!);
        Assert.False((bool)expired["sessionActive"]!);
        JsonNode teardown = expired["phases"]!.AsArray().Single(p => (string)p!["name"]! == "teardown")!;
        Assert.True(DateTimeOffset.Parse((string)teardown["startedAt"]!) >= DateTimeOffset.Parse((string)idle["sessionExpiresAt"]!),
            $"teardown started {teardown["startedAt"]}, expiry was {idle["sessionExpiresAt"]}");
        Assert.Empty(inspector.SandboxesOf(runId));
        Assert.False(SandboxInspector.IsAlive(pid));

        using HttpResponseMessage late = await api.PostAsync($"runs/{runId}/messages", new { prompt = "still there?" });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal("expired", (string)(await ApiClient.BodyAsync(late))["reason"]!);
    }

    // Provisioning failure compensates: the run fails naming its phase, and no sandbox or process is left behind.
    [Fact]
    public async Task Run_UnknownRef_FailsInClonePhaseAndLeavesNoSandbox()
    {
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(Host.BaseUrl, Key);
        JsonNode run = await api.CreateRunAsync(new { repository = repo.Path, @ref = "no-such-branch", prompt = "say hi", modelId = "scripted/model" });
        string runId = (string)run["id"]!;

        (JsonNode failed, _) = await api.WaitForAsync(runId, r => (string)r["status"]! is "failed" or "completed", RunTimeout);
        Assert.Equal("failed", (string)failed["status"]!);
        Assert.Equal("failed", (string)failed["endReason"]!);
        Assert.Equal("clone", (string)failed["error"]!["phase"]!);
        Assert.Contains("no-such-branch", (string)failed["error"]!["message"]!);
        Assert.Empty(inspector.SandboxesOf(runId));
    }

    // Tenant isolation and scopes: another account's run is 404, a read-only key cannot write, no key is 401.
    [Fact]
    public async Task Api_KeysAndAccounts_AreEnforced()
    {
        using TestRepository repo = TestRepository.Create();
        using ApiClient owner = new(Host.BaseUrl, Key);
        JsonNode run = await owner.CreateRunAsync(new { repository = repo.Path, prompt = "say hi", modelId = "scripted/model" });
        string runId = (string)run["id"]!;

        using ApiClient stranger = new(Host.BaseUrl, await Environment.CreateKeyAsync("globex"));
        using HttpResponseMessage foreign = await stranger.GetAsync($"runs/{runId}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("not_found", (string)(await ApiClient.BodyAsync(foreign))["code"]!);

        using ApiClient reader = new(Host.BaseUrl, await Environment.CreateKeyAsync("acme", "read:builder"));
        using HttpResponseMessage readOnly = await reader.PostAsync($"runs/{runId}/messages", new { prompt = "hi" });
        Assert.Equal(HttpStatusCode.Forbidden, readOnly.StatusCode);
        using HttpResponseMessage readAllowed = await reader.GetAsync($"runs/{runId}");
        Assert.Equal(HttpStatusCode.OK, readAllowed.StatusCode);

        using ApiClient anonymous = new(Host.BaseUrl, null);
        using HttpResponseMessage noKey = await anonymous.GetAsync($"runs/{runId}");
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        using ApiClient forged = new(Host.BaseUrl, "crt_aaaaaaaaaaaa_" + new string('x', 40));
        using HttpResponseMessage badKey = await forged.GetAsync($"runs/{runId}");
        Assert.Equal(HttpStatusCode.Unauthorized, badKey.StatusCode);

        using HttpResponseMessage invalid = await owner.PostAsync("runs", new { repository = repo.Path, prompt = "", modelId = "m", taskKind = "poem" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        JsonNode errors = (await ApiClient.BodyAsync(invalid))["errors"]!;
        Assert.NotNull(errors["prompt"]);
        Assert.NotNull(errors["taskKind"]);

        await owner.PostAsync($"runs/{runId}/messages", new { endSession = true });
        await owner.WaitForAsync(runId, r => (string)r["status"]! is "completed" or "failed", RunTimeout);
    }
}
