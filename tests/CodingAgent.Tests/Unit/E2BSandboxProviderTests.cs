using System.Net;
using CodingAgent.Sandboxes;
using CodingAgent.Sandboxes.E2B;
using CodingAgent.Tests.Support.E2BLoopback;

namespace CodingAgent.Tests.Unit;

/// <summary>The E2B provider's single calls against the loopback E2B, through the product's own HTTP pipelines.</summary>
public sealed class E2BSandboxProviderTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Tags = new() { ["codingAgentRunId"] = "run_unit" };
    private E2BClientHarness e2b = null!;

    public async Task InitializeAsync() => e2b = await E2BClientHarness.StartAsync();

    public async Task DisposeAsync() => await e2b.DisposeAsync();

    // The client sends no user (envd ≥ 0.4.0) and uploads files as application/octet-stream (envd ≥ 0.5.7).
    [Theory]
    [InlineData("0.4.0")]
    [InlineData("0.5.6")]
    public async Task Create_OnAnEnvdOlderThan057_KillsTheSandbox_AndSaysWhichVersionIsNeeded(string version)
    {
        e2b.Server.EnvdVersion = version;

        SandboxException refused = await Assert.ThrowsAsync<SandboxException>(() => CreateAsync());

        Assert.Contains($"runs envd {version}; at least 0.5.7 is needed", refused.Message, StringComparison.Ordinal);
        LoopbackSandbox sandbox = Assert.Single(e2b.Server.AllSandboxes);
        Assert.False(sandbox.IsAlive);
        Assert.DoesNotContain(e2b.Server.Requests, r => r.Operation == "envd.start");
    }

    [Fact]
    public async Task Create_OnEnvd057_Attaches()
    {
        e2b.Server.EnvdVersion = "0.5.7";

        ISandbox sandbox = await CreateAsync();

        Assert.True(Assert.Single(e2b.Server.LiveSandboxes).Id == sandbox.Id);
        Assert.StartsWith("/", sandbox.HomePath, StringComparison.Ordinal);
    }

    // Waiting less than E2B asked would only be refused again; a wait beyond what one call holds on for fails the call at
    // once, readably, and the activity's durable retry takes over.
    [Fact]
    public async Task Create_RefusedWithRetryAfterBeyondTheCap_FailsAtOnceWithoutRetrying_AndSaysHowLongE2BAsked()
    {
        e2b.Server.Faults.Add("create", 1, new LoopbackFault(429, "Rate limit exceeded", RetryAfterSeconds: 30));

        E2BApiException refused = await Assert.ThrowsAsync<E2BApiException>(() => CreateAsync());

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Contains("E2B asked to retry after 30 s, longer than one call waits (20 s)", refused.Message, StringComparison.Ordinal);
        Assert.Single(e2b.Server.Requests, r => r.Operation == "create");
        Assert.Empty(e2b.Server.AllSandboxes);
    }

    [Fact]
    public async Task Create_ConnectionDropped_IsNotRetried_AndFailsNamingTheE2BCall()
    {
        e2b.Server.Faults.Add("create", 1, LoopbackFault.DropConnection());

        SandboxException failed = await Assert.ThrowsAsync<SandboxException>(() => CreateAsync());

        Assert.StartsWith($"E2B's API at {e2b.Server.BaseUrl.Host} could not be reached for POST /v2/sandboxes:", failed.Message, StringComparison.Ordinal);
        Assert.Single(e2b.Server.Requests, r => r.Operation == "create");
    }

    // A 409 is a sandbox between states, not a gone one: connect and timeout say which state, and a kill counts as done.
    [Fact]
    public async Task Connect_WhileTheSandboxIsBeingPaused_FailsAsInTransition_NotAsGone()
    {
        LoopbackSandbox sandbox = e2b.Server.AddForeign(Tags);
        sandbox.Transition = "paused";

        SandboxInTransitionException busy = await Assert.ThrowsAsync<SandboxInTransitionException>(() => e2b.Provider.ConnectAsync(sandbox.Id, CancellationToken.None));

        Assert.Equal("paused", busy.Transition);
        Assert.StartsWith("E2B refused to connect to the sandbox: the sandbox is being paused and cannot be used until that ends (409: ", busy.Message, StringComparison.Ordinal);

        sandbox.Transition = null;
        Assert.Equal(sandbox.Id, (await e2b.Provider.ConnectAsync(sandbox.Id, CancellationToken.None))?.Id);
    }

    [Fact]
    public async Task SetTimeout_WhileTheSandboxIsBeingSnapshotted_FailsAsInTransition()
    {
        LoopbackSandbox sandbox = e2b.Server.AddForeign(Tags);
        DateTimeOffset endAt = sandbox.EndAt;
        sandbox.Transition = "snapshotted";

        SandboxInTransitionException busy = await Assert.ThrowsAsync<SandboxInTransitionException>(
            () => e2b.Provider.SetTimeoutAsync(sandbox.Id, TimeSpan.FromMinutes(10), CancellationToken.None));

        Assert.Equal("snapshotted", busy.Transition);
        Assert.Equal(endAt, sandbox.EndAt);
    }

    [Fact]
    public async Task Kill_WhileTheSandboxIsAlreadyBeingKilled_CountsAsKilled()
    {
        LoopbackSandbox sandbox = e2b.Server.AddForeign(Tags);
        sandbox.Transition = "killed";

        Assert.True(await e2b.Provider.KillAsync(sandbox.Id, CancellationToken.None));
        Assert.Single(e2b.Server.Requests, r => r.Operation == "kill" && r.SandboxId == sandbox.Id);
        Assert.True(sandbox.IsAlive); // the loopback answered 409 and left the killing to the kill in progress
    }

    // Keys and values are encoded twice inside and once outside, and E2B decodes three times; characters that mean
    // something in a query (space, '=', '&', '/', '%', '+') must survive all of it, on v2 and on the v1 fallback.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task List_ByMetadataWithQueryCharacters_FindsExactlyTheMatchingSandbox(bool v2)
    {
        e2b.Server.V2Routes = v2;
        Dictionary<string, string> wanted = new() { ["codingAgentDeployment"] = "team a/b=c&d", ["note key"] = "50% + more" };
        LoopbackSandbox match = e2b.Server.AddForeign(wanted);
        e2b.Server.AddForeign(new Dictionary<string, string> { ["codingAgentDeployment"] = "team a/b=c", ["note key"] = "50% + more" });
        e2b.Server.AddForeign(new Dictionary<string, string> { ["codingAgentDeployment"] = "team a/b=c&d" });

        List<string> found = [];
        await foreach (SandboxInfo info in e2b.Provider.ListAsync(wanted, CancellationToken.None))
        {
            found.Add(info.Id);
        }

        Assert.Equal([match.Id], found);
        Assert.Contains(e2b.Server.Requests, r => r.Operation == "list" && r.PathAndQuery.StartsWith(v2 ? "/v2/sandboxes?" : "/sandboxes?", StringComparison.Ordinal));
    }

    // A login shell would source ~/.bash_profile or ~/.profile, which the agent can write: commands run as `bash -c` with
    // the template's PATH, and what the agent left in its profiles does not run.
    [Fact]
    public async Task Run_IsANonLoginShell_WithTheTemplatePath_AndLeavesTheProfilesUnread()
    {
        ISandbox sandbox = await CreateAsync();
        LoopbackSandbox created = Assert.Single(e2b.Server.LiveSandboxes);
        foreach (string profile in new[] { ".bash_profile", ".bash_login", ".profile" })
        {
            await File.WriteAllTextAsync(Path.Combine(created.Home, profile), $"touch \"$HOME/ran-{profile}\"\nexport PROFILE_RAN=yes\n");
        }

        CommandResult result = await sandbox.RunAsync(new CommandSpec("printf '%s|%s' \"${PROFILE_RAN:-no}\" \"$PATH\"", Timeout: TimeSpan.FromSeconds(30)), CancellationToken.None);

        Assert.True(result.Succeeded, result.Stderr);
        Assert.Equal("no|/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", result.Stdout);
        Assert.Empty(Directory.EnumerateFiles(created.Home, "ran-*"));
        System.Text.Json.Nodes.JsonNode process = System.Text.Json.Nodes.JsonNode.Parse(
            e2b.Server.Requests.Last(r => r.Operation == "envd.start" && r.Body.Contains("PROFILE_RAN", StringComparison.Ordinal)).Body)!["process"]!;
        Assert.Equal("/bin/bash", (string)process["cmd"]!);
        Assert.Equal("-c", (string)process["args"]![0]!);
        Assert.Equal(2, process["args"]!.AsArray().Count);
    }

    private Task<ISandbox> CreateAsync() =>
        e2b.Provider.CreateAsync(new SandboxCreateRequest("coding-agent-opencode", TimeSpan.FromMinutes(5), Tags), CancellationToken.None);
}
