using System.Net;
using System.Text.Json.Nodes;
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
    private string key = string.Empty;

    public async Task InitializeAsync()
    {
        e2b = await E2BLoopbackServer.StartAsync();
        key = await environment.CreateKeyAsync("e2b");
        host = await SelfHostProcess.StartAsync(Settings());
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

    private Dictionary<string, string> Settings()
    {
        Dictionary<string, string> settings = environment.Environment();
        settings["CodingAgent__Sandbox__Provider"] = "e2b";
        settings["CodingAgent__Sandbox__Deployment"] = Deployment;
        settings["CodingAgent__Sandbox__E2B__ApiKey"] = E2BLoopbackServer.ApiKey;
        settings["CodingAgent__Sandbox__E2B__ApiUrl"] = e2b.BaseUrl.ToString();
        settings["CodingAgent__Sandbox__E2B__SandboxUrl"] = e2b.BaseUrl.ToString();
        return settings;
    }
}
