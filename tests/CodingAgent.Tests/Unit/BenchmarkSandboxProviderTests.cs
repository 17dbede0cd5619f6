using CodingAgent.Tests.Support;
using System.Text.Json;
using CodingAgent.Agent;
using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Repositories;
using CodingAgent.Sandboxes;
using CodingAgent.Sandboxes.Benchmark;
using Microsoft.Extensions.Options;

namespace CodingAgent.Tests.Unit;

/// <summary>
/// The benchmark provider under the product's own sandbox code: <c>RepositoryWorkspace</c>, the real
/// <c>OpenCodeLauncher</c>, <c>OpenCodeClient</c> and turn driver against the in-process OpenCode simulator.
/// </summary>
public sealed class BenchmarkSandboxProviderTests : IAsyncLifetime
{
    private static readonly IReadOnlyDictionary<string, string> Tags = new Dictionary<string, string> { ["codingAgentRunId"] = "run_bench" };
    private readonly BenchmarkSandboxProvider provider = new(TimeProvider.System);
    private readonly HttpClient http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        http.Dispose();
        await provider.DisposeAsync();
    }

    [Fact]
    public async Task Workspace_CloneStatsDiff_GetCannedAnswers()
    {
        ISandbox sandbox = await provider.CreateAsync(new SandboxCreateRequest("opencode", TimeSpan.FromMinutes(5), Tags), CancellationToken.None);

        (string gitRef, string sha) = await RepositoryWorkspace.CloneAsync(sandbox, "https://github.com/octo/bench.git", null, null, CancellationToken.None);
        await RepositoryWorkspace.ExcludeTaskFolderAsync(sandbox, CancellationToken.None);
        (PatchStats stats, string diff, _) = await RepositoryWorkspace.ChangesAsync(sandbox, sha, 1_000_000, CancellationToken.None);

        Assert.Equal("main", gitRef);
        Assert.Matches("^[0-9a-f]{40}$", sha);
        Assert.Equal(new PatchStats(0, 0, 0), stats);
        Assert.Empty(diff);
        List<SandboxInfo> listed = [];
        await foreach (SandboxInfo info in provider.ListAsync(Tags, CancellationToken.None))
        {
            listed.Add(info);
        }

        Assert.Equal(sandbox.Id, Assert.Single(listed).Id);
        Assert.True(await provider.KillAsync(sandbox.Id, CancellationToken.None));
        Assert.Null(await provider.ConnectAsync(sandbox.Id, CancellationToken.None));
    }

    [Fact]
    public async Task OpenCode_StartSessionAndTwoTurns_AnswerOkWithoutAnyProcess()
    {
        ISandbox sandbox = await provider.CreateAsync(new SandboxCreateRequest("opencode", TimeSpan.FromMinutes(5), Tags), CancellationToken.None);
        OpenCodeLauncher launcher = new(Options.Create(new AgentOptions { OpenCodePath = "/nonexistent/opencode" }));

        AgentProcess process = await launcher.StartAsync(sandbox, RepositoryWorkspace.PathIn(sandbox), "m", false, "secret", new ModelEndpoint("http://127.0.0.1:9/v1", null), CancellationToken.None);
        Assert.True(await sandbox.IsProcessRunningAsync(process.ProcessRef, CancellationToken.None));
        PortEndpoint endpoint = await sandbox.GetPortEndpointAsync(process.Port, CancellationToken.None);
        OpenCodeClient client = new(http, endpoint, "secret");
        Assert.True(await client.IsHealthyAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.False(await new OpenCodeClient(http, endpoint, "wrong").IsHealthyAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
        string session = await client.CreateSessionAsync("bench", CancellationToken.None);
        Assert.True(await client.SessionExistsAsync(session, CancellationToken.None));

        OpenCodeTurnDriver driver = new(TimeProvider.System);
        List<RunEventDraft> events = [];
        foreach (int turn in new[] { 1, 2 })
        {
            string messageId = OpenCodeIds.UserMessageId("run_bench", turn, DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000 + turn));
            AgentTurnRequest request = new(session, messageId, "Read the task", RepositoryWorkspace.PathIn(sandbox), turn, TimeSpan.FromMinutes(1), new HashSet<string>());
            AgentTurnResult result = await driver.RunAsync(client, request, drafts => { events.AddRange(drafts); return Task.CompletedTask; }, CancellationToken.None);

            Assert.Null(result.Error);
            Assert.Equal("ok", result.FinalText);
            Assert.Equal(100, result.Usage.InputTokens);
        }

        Assert.Equal(2, events.Count(e => e.Type == RunEventTypes.AgentText));
        using JsonDocument messages = await client.GetMessagesAsync(session, CancellationToken.None);
        Assert.Equal(4, messages.RootElement.GetArrayLength());
        Assert.False(await client.IsBusyAsync(session, CancellationToken.None));
        await client.AbortAsync(session, CancellationToken.None);

        Assert.True(await provider.KillAsync(sandbox.Id, CancellationToken.None));
        Assert.False(await client.IsHealthyAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
    }
}
