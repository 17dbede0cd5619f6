using System.Net;
using System.Text.Json.Nodes;
using CodingAgent.Sandboxes.E2B;
using CodingAgent.Tests.Support;
using CodingAgent.Tests.Support.E2BLoopback;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// The whole run lifecycle through the E2B provider, against the loopback E2B server (its sandboxes run here, so real
/// git and a real <c>opencode serve</c> run "inside" them), with the wire asserted where the contract is subtle.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class E2BProviderTests(TestEnvironment environment) : IAsyncLifetime
{
    private const string Deployment = "e2btests";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);
    private E2BLoopbackServer e2b = null!;
    private SelfHostProcess host = null!;
    private Dictionary<string, string> hostSettings = [];
    private string key = string.Empty;

    public async Task InitializeAsync()
    {
        e2b = await E2BLoopbackServer.StartAsync();
        e2b.TemplateBinDirectory = Path.GetDirectoryName(RepoRoot.OpenCode); // the template has opencode on PATH
        key = await environment.SharedKeyAsync("e2b");
        hostSettings = Settings();
        host = await SelfHostProcess.StartAsync(hostSettings);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await e2b.DisposeAsync();
    }

    [Fact]
    public async Task Run_GoesThroughCreateCloneOpenCodeTurnsAndEnd_OnE2B_AndLeavesNoSandbox()
    {
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(host.BaseUrl, key);
        string runId = (string)(await api.CreateRunAsync(new { repository = repo.Path, prompt = "write hello.txt: hi from e2b", modelId = "scripted/model" }))["id"]!;
        (JsonNode idle, _) = await api.WaitForAsync(runId, r => (string)r["status"]! is "idle" or "failed", RunTimeout);
        Assert.True((string)idle["status"]! == "idle", idle.ToJsonString());
        Assert.Equal(1, (int)idle["patchStats"]!["filesChanged"]!);

        LoopbackSandbox sandbox = Assert.Single(e2b.LiveSandboxes);
        Assert.Equal("hi from e2b", File.ReadAllText(Path.Combine(sandbox.Home, "repo", "hello.txt")).Trim());
        Assert.Equal(runId, sandbox.Metadata["codingAgentRunId"]);
        Assert.Equal("e2b", sandbox.Metadata["codingAgentAccount"]);
        Assert.Equal(Deployment, sandbox.Metadata["codingAgentDeployment"]);

        using (HttpResponseMessage accepted = await api.PostAsync($"runs/{runId}/messages", new { prompt = "write second.txt: warm turn" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        (JsonNode warm, _) = await api.WaitForAsync(runId, r => (string)r["status"]! == "idle" && (int)r["currentTurn"]! == 2, RunTimeout);
        Assert.Equal(2, (int)warm["patchStats"]!["filesChanged"]!);
        Assert.Single(e2b.AllSandboxes); // the follow-up ran in the same sandbox

        using (HttpResponseMessage ended = await api.PostAsync($"runs/{runId}/messages", new { endSession = true }))
        {
            Assert.True(ended.IsSuccessStatusCode);
        }

        await api.WaitForAsync(runId, r => (string)r["status"]! == "completed", RunTimeout);
        Assert.Empty(e2b.LiveSandboxes);

        // The wire: an explicit timeout and private ports at create; OpenCode started without a process deadline;
        // every request to OpenCode's port carried the traffic token (the proxy refuses others with 403).
        RecordedRequest create = Assert.Single(e2b.Requests, r => r.Operation == "create");
        Assert.Equal("/v2/sandboxes", create.PathAndQuery);
        JsonNode body = JsonNode.Parse(create.Body)!;
        Assert.True((int)body["timeout"]! > 0);
        Assert.False((bool)body["network"]!["allowPublicTraffic"]!);
        RecordedRequest openCode = Assert.Single(e2b.Requests, r => r.Operation == "envd.start" && r.Body.Contains(" serve ", StringComparison.Ordinal));
        Assert.False(openCode.Headers.ContainsKey("Connect-Timeout-Ms"));
        Assert.All(e2b.Requests.Where(r => r.Operation == "envd.start" && r != openCode), r => Assert.True(r.Headers.ContainsKey("Connect-Timeout-Ms"), r.Body));
        Assert.Contains(e2b.Requests, r => r.Operation == "proxy");
        Assert.All(e2b.Requests.Where(r => r.Operation == "proxy"), r => Assert.Equal(sandbox.TrafficAccessToken, r.Headers["e2b-traffic-access-token"]));
        Assert.All(e2b.Requests.Where(r => r.Operation == "proxy"), r => Assert.StartsWith("Basic ", r.Headers["Authorization"], StringComparison.Ordinal));
    }

    // OpenCode in the sandbox is never reachable with the URL and the traffic token alone: without its per-run password
    // it answers 401. The password the control plane gave OpenCode's process (read off the wire) is the positive control.
    [Fact]
    public async Task OpenCodeInTheSandbox_RefusesRequestsWithoutItsPassword()
    {
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(host.BaseUrl, key);
        string runId = (string)(await api.CreateRunAsync(new { repository = repo.Path, prompt = "say Hi.", modelId = "scripted/model" }))["id"]!;
        await api.WaitForAsync(runId, r => (string)r["status"]! == "idle", RunTimeout);
        LoopbackSandbox sandbox = Assert.Single(e2b.LiveSandboxes);
        string port = e2b.Requests.First(r => r.Operation == "proxy").Headers["E2b-Sandbox-Port"];
        RecordedRequest start = Assert.Single(e2b.Requests, r => r.Operation == "envd.start" && r.Body.Contains(" serve ", StringComparison.Ordinal));
        string password = (string)JsonNode.Parse(start.Body)!["process"]!["envs"]!["OPENCODE_SERVER_PASSWORD"]!;
        using HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };

        Assert.Equal(HttpStatusCode.Unauthorized, await HealthStatusAsync(http, sandbox, port, authorization: null));
        Assert.Equal(HttpStatusCode.Unauthorized, await HealthStatusAsync(http, sandbox, port, "opencode:not-the-password"));
        Assert.Equal(HttpStatusCode.OK, await HealthStatusAsync(http, sandbox, port, "opencode:" + password));
    }

    private async Task<HttpStatusCode> HealthStatusAsync(HttpClient http, LoopbackSandbox sandbox, string port, string? authorization)
    {
        using HttpRequestMessage request = new(HttpMethod.Get, new Uri(e2b.BaseUrl, "global/health"));
        request.Headers.Add("E2b-Sandbox-Id", sandbox.Id);
        request.Headers.Add("E2b-Sandbox-Port", port);
        request.Headers.Add("e2b-traffic-access-token", sandbox.TrafficAccessToken);
        if (authorization is not null)
        {
            request.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(authorization)));
        }

        using HttpResponseMessage response = await http.SendAsync(request);
        return response.StatusCode;
    }

    // A failing create is not repeated by the HTTP layer, not even on a 503 or a dropped connection (which it does repeat
    // for idempotent calls): the create may have happened. The activity's own 3 attempts are all there is, and the run
    // fails naming the phase and the reason.
    [Theory]
    [InlineData(false, "E2B refused to create the sandbox (503 sandbox_capacity_unavailable): No capacity in the cluster")]
    [InlineData(true, "could not be reached for POST /v2/sandboxes")]
    public async Task Create_Failing_FailsTheRunInPhaseSandbox_WithTheReason_AndNoRetryMultiplication(bool dropConnection, string reason)
    {
        e2b.Faults.Add("create", 10, dropConnection
            ? LoopbackFault.DropConnection()
            : new LoopbackFault(503, "No capacity in the cluster", "sandbox_capacity_unavailable"));
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(host.BaseUrl, key);
        string runId = (string)(await api.CreateRunAsync(new { repository = repo.Path, prompt = "say Hi.", modelId = "scripted/model" }))["id"]!;

        (JsonNode failed, _) = await api.WaitForAsync(runId, r => (string)r["status"]! is "failed" or "idle", RunTimeout);

        Assert.Equal("failed", (string)failed["status"]!);
        Assert.Equal("sandbox", (string)failed["error"]!["phase"]!);
        Assert.Contains(reason, (string)failed["error"]!["message"]!, StringComparison.Ordinal);
        Assert.Equal(3, e2b.Requests.Count(r => r.Operation == "create"));
        Assert.Empty(e2b.AllSandboxes);
    }

    // 429s are refusals, so even a create is repeated, after the Retry-After E2B sent.
    [Fact]
    public async Task RateLimitStorm_OnCreate_IsWaitedOutWithRetryAfter_AndTheRunProceeds()
    {
        // 3 s: longer than the back-off's first delays (about 1 s, then 2 s), so only honouring Retry-After passes.
        e2b.Faults.Add("create", 2, new LoopbackFault(429, "Rate limit exceeded", RetryAfterSeconds: 3));
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(host.BaseUrl, key);
        string runId = (string)(await api.CreateRunAsync(new { repository = repo.Path, prompt = "say Hi.", modelId = "scripted/model" }))["id"]!;

        (JsonNode idle, _) = await api.WaitForAsync(runId, r => (string)r["status"]! is "failed" or "idle", RunTimeout);

        Assert.True((string)idle["status"]! == "idle", idle.ToJsonString());
        List<RecordedRequest> creates = [.. e2b.Requests.Where(r => r.Operation == "create")];
        Assert.Equal(3, creates.Count);
        Assert.All(creates.Zip(creates.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= TimeSpan.FromSeconds(2.9), "retried before Retry-After"));
        Assert.Single(e2b.AllSandboxes);
    }

    // The first envd stream (the home probe) ends with an error frame: that step fails, and its retry finds the sandbox
    // the first attempt created by its run-id tag instead of creating another.
    [Fact]
    public async Task EnvdStreamEndingInAnErrorFrame_FailsThatStep_AndTheRetryReusesTheTaggedSandbox()
    {
        e2b.Faults.Add("envd.start", 1, new LoopbackFault(200, "process manager restarting", "unavailable"));
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(host.BaseUrl, key);
        string runId = (string)(await api.CreateRunAsync(new { repository = repo.Path, prompt = "say Hi.", modelId = "scripted/model" }))["id"]!;

        (JsonNode idle, _) = await api.WaitForAsync(runId, r => (string)r["status"]! is "failed" or "idle", RunTimeout);

        Assert.True((string)idle["status"]! == "idle", idle.ToJsonString());
        Assert.Equal(0, e2b.Faults.Pending("envd.start"));
        LoopbackSandbox sandbox = Assert.Single(e2b.AllSandboxes);
        List<RecordedRequest> requests = [.. e2b.Requests];
        Assert.Single(requests, r => r.Operation == "create");
        // Only a retry lists again after the failed stream (provisioning lists once, before creating), and only a second
        // attach asks the same sandbox for its home folder again.
        int failedStart = requests.FindIndex(r => r.Operation == "envd.start");
        Assert.Contains(requests.Skip(failedStart + 1), r => r.Operation == "list");
        Assert.Equal(2, requests.Count(r => r.Operation == "envd.start" && r.SandboxId == sandbox.Id && r.Body.Contains("printf %s", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SandboxVanishingWhileIdle_NextMessageIs409Unhealthy_AndTheRunIsTornDown()
    {
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(host.BaseUrl, key);
        string runId = (string)(await api.CreateRunAsync(new { repository = repo.Path, prompt = "say Hi.", modelId = "scripted/model" }))["id"]!;
        await api.WaitForAsync(runId, r => (string)r["status"]! == "idle", RunTimeout);
        LoopbackSandbox sandbox = Assert.Single(e2b.LiveSandboxes);

        Assert.True(e2b.Vanish(sandbox.Id));
        using HttpResponseMessage refused = await api.PostAsync($"runs/{runId}/messages", new { prompt = "say Again." });

        JsonNode problem = await ApiClient.BodyAsync(refused);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("session_inactive", (string)problem["code"]!);
        Assert.Equal("unhealthy", (string)problem["reason"]!);
        (JsonNode ended, _) = await api.WaitForAsync(runId, r => (string)r["status"]! == "completed", RunTimeout);
        Assert.Equal("sandbox_lost", (string)ended["endReason"]!);
        Assert.False((bool)ended["sessionActive"]!);
        // The product's teardown ran: it asked E2B to kill the sandbox (already gone, so 404) and closed the run.
        Assert.Contains(e2b.Requests, r => r.Operation == "kill" && r.SandboxId == sandbox.Id);
    }

    // envd forwards a new listener only once its scan has seen it; until then the proxy answers 502 "port is not open".
    // Starting OpenCode waits that out with back-off: one OpenCode process, no failed attempt, and the run proceeds.
    [Fact]
    public async Task OpenCodesPortForwardedLate_StartWaitsForIt_WithOneOpenCode()
    {
        const int notYetForwarded = 3;
        e2b.Faults.Add("proxy", notYetForwarded, new LoopbackFault(502, E2BLoopbackServer.PortNotOpen));
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(host.BaseUrl, key);
        string runId = (string)(await api.CreateRunAsync(new { repository = repo.Path, prompt = "say Hi.", modelId = "scripted/model" }))["id"]!;

        (JsonNode idle, _) = await api.WaitForAsync(runId, r => (string)r["status"]! is "idle" or "failed", RunTimeout);

        Assert.True((string)idle["status"]! == "idle", idle.ToJsonString());
        Assert.Equal(0, e2b.Faults.Pending("proxy"));
        Assert.Single(e2b.Requests, r => r.Operation == "envd.start" && r.Body.Contains(" serve ", StringComparison.Ordinal));
        Assert.True(e2b.Requests.Count(r => r.Operation == "proxy" && r.PathAndQuery == "/global/health") > notYetForwarded);
    }

    // Only E2B's word that a sandbox is gone ends a run. A health probe that fails transiently (OpenCode's check through the
    // proxy and envd's /health both answered 503, or 429 beyond the pipeline's retries) answers 409 unhealthy, and the run
    // goes on: the next message runs a turn in the same sandbox.
    [Fact]
    public async Task HealthProbeFailingTransiently_Answers409Unhealthy_WithoutEndingTheRun()
    {
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(host.BaseUrl, key);
        string runId = (string)(await api.CreateRunAsync(new { repository = repo.Path, prompt = "say Hi.", modelId = "scripted/model" }))["id"]!;
        await api.WaitForAsync(runId, r => (string)r["status"]! == "idle", RunTimeout);
        LoopbackSandbox sandbox = Assert.Single(e2b.LiveSandboxes);

        e2b.Faults.Add("proxy", 1, new LoopbackFault(503, "upstream unavailable"));
        e2b.Faults.Add("envd.health", 1, new LoopbackFault(503, "upstream unavailable"));
        await AssertUnhealthyAsync(api, runId);

        e2b.Faults.Add("proxy", 1, new LoopbackFault(429, "too many incoming connections", RetryAfterSeconds: 1));
        e2b.Faults.Add("envd.health", E2BHttpClients.MaxRetries + 1, new LoopbackFault(429, "Rate limit exceeded", RetryAfterSeconds: 1));
        await AssertUnhealthyAsync(api, runId);

        JsonNode run = (await api.GetRunAsync(runId))["run"]!;
        Assert.Equal("idle", (string)run["status"]!);
        Assert.True((bool)run["sessionActive"]!, run.ToJsonString());
        using (HttpResponseMessage accepted = await api.PostAsync($"runs/{runId}/messages", new { prompt = "write after.txt: still here" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        (JsonNode second, _) = await api.WaitForAsync(runId, r => (string)r["status"]! is "idle" or "completed" && (int)r["currentTurn"]! == 2, RunTimeout);
        Assert.Equal("idle", (string)second["status"]!);
        Assert.Equal(sandbox.Id, Assert.Single(e2b.AllSandboxes).Id);
        Assert.True(sandbox.IsAlive);
    }

    private async Task AssertUnhealthyAsync(ApiClient api, string runId)
    {
        using HttpResponseMessage refused = await api.PostAsync($"runs/{runId}/messages", new { prompt = "say Again." });
        JsonNode problem = await ApiClient.BodyAsync(refused);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("unhealthy", (string)problem["reason"]!);
        Assert.Equal(0, e2b.Faults.Pending("proxy"));
        Assert.Equal(0, e2b.Faults.Pending("envd.health"));
    }

    // E2B clamps a timeout to the plan's longest life without saying so; the run reads the real end back and lets the
    // session expire a minute before the sandbox does, so teardown runs while the sandbox is still there.
    [Fact]
    public async Task TimeoutExtension_ClampedByThePlan_EndsTheSessionBeforeTheSandbox()
    {
        e2b.MaxLifetime = TimeSpan.FromMinutes(8);
        await RestartHostAsync(new() { ["CodingAgent__Sandbox__E2B__MaxLifetimeMinutes"] = "8" });
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(host.BaseUrl, key);
        string runId = (string)(await api.CreateRunAsync(new
        {
            repository = repo.Path, prompt = "say Hi.", modelId = "scripted/model", session = new { idleTimeoutSeconds = 1800 },
        }))["id"]!;

        (JsonNode idle, _) = await api.WaitForAsync(runId, r => (string)r["status"]! is "idle" or "failed", RunTimeout);

        Assert.True((string)idle["status"]! == "idle", idle.ToJsonString());
        LoopbackSandbox sandbox = Assert.Single(e2b.LiveSandboxes);
        Assert.True((int)JsonNode.Parse(Assert.Single(e2b.Requests, r => r.Operation == "create").Body)!["timeout"]! <= 480);
        Assert.Equal(sandbox.StartedAt + TimeSpan.FromMinutes(8), sandbox.EndAt);
        DateTimeOffset sessionEnds = (DateTimeOffset)idle["sessionExpiresAt"]!;
        Assert.True(sessionEnds <= sandbox.EndAt - TimeSpan.FromMinutes(1), $"session ends {sessionEnds:O}, sandbox {sandbox.EndAt:O}");
        Assert.Contains(e2b.Requests, r => r.Operation == "timeout");
    }

    // An E2B without the v2 routes: create and connect fall back to v1, with secure=true so envd still has a token.
    [Fact]
    public async Task WithoutV2Routes_CreateAndConnectFallBackToV1()
    {
        e2b.V2Routes = false;
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(host.BaseUrl, key);
        string runId = (string)(await api.CreateRunAsync(new { repository = repo.Path, prompt = "write a.txt: v1", modelId = "scripted/model" }))["id"]!;

        (JsonNode idle, _) = await api.WaitForAsync(runId, r => (string)r["status"]! is "idle" or "failed", RunTimeout);

        Assert.True((string)idle["status"]! == "idle", idle.ToJsonString());
        RecordedRequest v1 = Assert.Single(e2b.Requests, r => r.Operation == "create" && r.PathAndQuery == "/sandboxes");
        Assert.True((bool)JsonNode.Parse(v1.Body)!["secure"]!);

        // A restarted control plane attaches to the sandbox again, through v1 connect, and the follow-up runs there.
        await RestartHostAsync([]);
        using ApiClient restarted = new(host.BaseUrl, key);
        using (HttpResponseMessage accepted = await restarted.PostAsync($"runs/{runId}/messages", new { prompt = "write b.txt: after restart" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        (JsonNode second, _) = await restarted.WaitForAsync(runId, r => (string)r["status"]! == "idle" && (int)r["currentTurn"]! == 2, RunTimeout);
        Assert.Equal(2, (int)second["patchStats"]!["filesChanged"]!);
        Assert.Contains(e2b.Requests, r => r.Operation == "connect" && r.PathAndQuery.StartsWith("/sandboxes/", StringComparison.Ordinal));
        Assert.NotNull(Assert.Single(e2b.LiveSandboxes).EnvdAccessToken);
    }

    [Fact]
    public async Task Janitor_KillsThisDeploymentsSandboxesOfEndedRuns_AndLeavesActiveRunsAndOtherDeploymentsAlone()
    {
        await RestartHostAsync(new() { ["CodingAgent__Sandbox__JanitorIntervalSeconds"] = "1" });
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(host.BaseUrl, key);
        string active = (string)(await api.CreateRunAsync(new { repository = repo.Path, prompt = "say Active.", modelId = "scripted/model" }))["id"]!;
        string ended = (string)(await api.CreateRunAsync(new { repository = repo.Path, prompt = "say Ended.", modelId = "scripted/model" }))["id"]!;
        await api.WaitForAsync(active, r => (string)r["status"]! == "idle", RunTimeout);
        await api.WaitForAsync(ended, r => (string)r["status"]! == "idle", RunTimeout);
        using (HttpResponseMessage end = await api.PostAsync($"runs/{ended}/messages", new { endSession = true }))
        {
            Assert.True(end.IsSuccessStatusCode);
        }

        await api.WaitForAsync(ended, r => (string)r["status"]! == "completed", RunTimeout);
        LoopbackSandbox activeSandbox = Assert.Single(e2b.LiveSandboxes);

        // Leaked sandboxes of the ended run: one of this deployment, one of another deployment.
        LoopbackSandbox orphan = e2b.AddForeign(Tags(ended, Deployment));
        LoopbackSandbox otherDeployment = e2b.AddForeign(Tags(ended, "someone-else"));

        using CancellationTokenSource limit = new(TimeSpan.FromSeconds(60));
        while (orphan.IsAlive)
        {
            await Task.Delay(200, limit.Token);
        }

        int sweepsAfterKill = e2b.Requests.Count(r => r.Operation == "list");
        while (e2b.Requests.Count(r => r.Operation == "list") < sweepsAfterKill + 2)
        {
            await Task.Delay(200, limit.Token); // two more full sweeps, so "left alone" is not just "not reached yet"
        }

        Assert.True(otherDeployment.IsAlive);
        Assert.True(activeSandbox.IsAlive);
        Assert.Equal("idle", (string)(await api.GetRunAsync(active))["run"]!["status"]!);
    }

    private static Dictionary<string, string> Tags(string runId, string deployment) => new()
    {
        ["codingAgentRunId"] = runId,
        ["codingAgentAccount"] = "e2b",
        ["codingAgentDeployment"] = deployment,
    };

    private async Task RestartHostAsync(Dictionary<string, string> extra)
    {
        int port = host.BaseUrl.Port; // a restart comes back where it was: the sandbox's OpenCode keeps the gateway's address
        await host.DisposeAsync();
        Dictionary<string, string> settings = new(hostSettings); // the same task hub and storage: a restart, not a new host
        foreach ((string name, string value) in extra)
        {
            settings[name] = value;
        }

        host = await SelfHostProcess.StartAsync(settings, port);
    }

    private Dictionary<string, string> Settings()
    {
        Dictionary<string, string> settings = environment.Environment();
        settings["CodingAgent__Sandbox__Provider"] = "e2b";
        settings["CodingAgent__Sandbox__Deployment"] = Deployment;
        settings["CodingAgent__Sandbox__E2B__ApiKey"] = E2BLoopbackServer.ApiKey;
        settings["CodingAgent__Sandbox__E2B__ApiUrl"] = e2b.BaseUrl.ToString();
        settings["CodingAgent__Sandbox__E2B__SandboxUrl"] = e2b.BaseUrl.ToString();
        settings["CodingAgent__Agent__OpenCodePath"] = "opencode"; // the default: the template's, found on its PATH
        return settings;
    }
}
