using System.Net;
using System.Text.Json.Nodes;
using CodingAgent.Tests.Support;
using CodingAgent.Tests.Support.GitHubLoopback;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// Repositories are bound to accounts (the trust boundary, item 2): an account may run only on repositories of its
/// allow-list, and a refused create never makes the platform ask GitHub for anything.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class RepositoryAllowListTests(TestEnvironment environment) : IAsyncLifetime
{
    private GitHubLoopbackServer github = null!;
    private SelfHostProcess host = null!;
    private TestRepository widgets = null!;
    private TestRepository gadgets = null!;

    public async Task InitializeAsync()
    {
        github = await GitHubLoopbackServer.StartAsync();
        widgets = TestRepository.Create(new Dictionary<string, string> { ["README.md"] = "# Widgets\n" });
        gadgets = TestRepository.Create(new Dictionary<string, string> { ["README.md"] = "# Gadgets\n" });
        github.AddRepository("alpha", "widgets", widgets);
        github.AddRepository("beta", "gadgets", gadgets);
        Dictionary<string, string> settings = environment.Environment();
        settings["CodingAgent__Repositories__OwnerNameBaseUrl"] = github.BaseUrl.ToString().TrimEnd('/');
        settings["CodingAgent__GitHub__ApiUrl"] = github.ApiUrl;
        settings["CodingAgent__GitHub__AppId"] = GitHubLoopbackServer.AppId;
        settings["CodingAgent__GitHub__AppPrivateKey"] = github.AppPrivateKeyPem;
        host = await SelfHostProcess.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        environment.EndSandboxProcesses();
        await github.DisposeAsync();
        widgets.Dispose();
        gadgets.Dispose();
    }

    [Fact]
    public async Task Create_AnotherAccountsRepository_Is403BeforeAnyTokenIsAsked()
    {
        string alpha = await environment.CreateKeyAsync("alpha-co");
        string beta = await environment.CreateKeyAsync("beta-co");
        await environment.AllowRepositoryAsync("alpha-co", "alpha/*");
        await environment.AllowRepositoryAsync("beta-co", "beta/gadgets");
        using ApiClient betaApi = new(host.BaseUrl, beta);

        foreach (string repository in new[] { "alpha/widgets", "Alpha/Widgets", "beta/gadgets-fork" })
        {
            using HttpResponseMessage refused = await betaApi.PostAsync("runs", new { repository, prompt = "say hi", modelId = "m" });
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            JsonNode problem = await ApiClient.BodyAsync(refused);
            Assert.Equal("repository_not_allowed", (string)problem["code"]!);
        }

        Assert.Empty(github.Requests);
        using (HttpResponseMessage list = await betaApi.GetAsync("runs"))
        {
            Assert.Empty((await ApiClient.BodyAsync(list))["runs"]!.AsArray());
        }

        // The owner of the repository gets its run, and only then does the platform ask GitHub for a token.
        using ApiClient alphaApi = new(host.BaseUrl, alpha);
        JsonNode created = await alphaApi.CreateRunAsync(new { repository = "alpha/widgets", prompt = "say Hello alpha.", modelId = "m" });
        (JsonNode idle, _) = await alphaApi.WaitForAsync((string)created["id"]!, r => (string)r["status"]! == "idle", TimeSpan.FromSeconds(120));
        Assert.Equal("Hello alpha.", (string)idle["assistantText"]!);
        Assert.Contains(github.Requests, r => r.PathAndQuery.EndsWith("/access_tokens", StringComparison.Ordinal));
        Assert.DoesNotContain(github.Requests, r => r.PathAndQuery.Contains("gadgets", StringComparison.Ordinal));

        // An accept that stopped after numbering turn 2 (no turn row, no prompt, no event): the next prompt, turn 3, runs,
        // and turn 2 fails on its own while the session stays warm (item 8).
        string runId = (string)created["id"]!;
        await new SandboxInspector(environment).UpdateRunRecordAsync("alpha-co", runId, r => r with { AcceptedTurns = r.AcceptedTurns + 1 });
        using (HttpResponseMessage third = await alphaApi.PostAsync($"runs/{runId}/messages", new { prompt = "say Third." }))
        {
            Assert.Equal(HttpStatusCode.Accepted, third.StatusCode);
            Assert.Equal(3, (int)(await ApiClient.BodyAsync(third))["turn"]!["number"]!);
        }

        (JsonNode after, _) = await alphaApi.WaitForAsync(runId, r => (string)r["status"]! == "idle" && (int)r["currentTurn"]! == 3, TimeSpan.FromSeconds(120));
        Assert.Equal("Third.", (string)after["assistantText"]!);
        Assert.True((bool)after["sessionActive"]!);
        JsonNode lost = await alphaApi.GetSettledTurnAsync(runId, 2);
        Assert.Equal(("failed", "turn_missing"), ((string)lost["status"]!, (string)lost["error"]!["code"]!));
    }
}
