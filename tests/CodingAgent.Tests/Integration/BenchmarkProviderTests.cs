using System.Net;
using System.Text.Json.Nodes;
using CodingAgent.Model;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// The self-host with <c>CodingAgent__Sandbox__Provider=benchmark</c>: real durable engine and storage, fake sandboxes and
/// the in-process OpenCode simulator. The repository is an <c>owner/name</c> that is never fetched and the OpenCode path
/// does not exist, so a run can only get to <c>idle</c> if nothing is cloned and no process is started.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class BenchmarkProviderTests(TestEnvironment environment) : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);
    private readonly string sandboxRoot = Directory.CreateTempSubdirectory("bench-sandboxes-").FullName;
    private readonly SandboxInspector inspector = new(environment);
    private SelfHostProcess? host;
    private string key = string.Empty;

    public async Task InitializeAsync()
    {
        key = await environment.CreateKeyAsync("bench");
        await environment.AllowRepositoryAsync("bench", "octo/*");
        Dictionary<string, string> settings = environment.Environment();
        settings["CodingAgent__Sandbox__Provider"] = "benchmark";
        settings["CodingAgent__Sandbox__Local__Root"] = sandboxRoot;
        settings["CodingAgent__Agent__OpenCodePath"] = "/nonexistent/opencode";
        settings["CodingAgent__Limits__RunCreationsPerMinute"] = "1000";
        settings["CodingAgent__Limits__ActiveSessionsPerAccount"] = "1000";
        host = await SelfHostProcess.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        Directory.Delete(sandboxRoot, recursive: true);
    }

    [Fact]
    public async Task Run_CreateFollowUpEnd_CompletesWithoutAnyProcess()
    {
        using ApiClient api = new(host!.BaseUrl, key);
        JsonNode created = await api.CreateRunAsync(new { repository = "octo/bench", prompt = "say hi", modelId = "bench/model" });
        string runId = (string)created["id"]!;

        (JsonNode idle, _) = await api.WaitForAsync(runId, r => (string)r["status"]! is "idle" or "failed" or "completed", RunTimeout);
        Assert.True((string)idle["status"]! == "idle", idle.ToJsonString());
        Assert.Equal("ok", (string)idle["assistantText"]!);
        Assert.Equal("main", (string)idle["ref"]!);
        Assert.Matches("^[0-9a-f]{40}$", (string)idle["baseSha"]!);
        Assert.Equal(0, (int)idle["patchStats"]!["filesChanged"]!);
        RunRecord record = await inspector.RunRecordAsync("bench", runId);
        Assert.StartsWith("bsb-", record.Agent!.SandboxId, StringComparison.Ordinal);

        using HttpResponseMessage followUp = await api.PostAsync($"runs/{runId}/messages", new { prompt = "say again" });
        Assert.Equal(HttpStatusCode.Accepted, followUp.StatusCode);
        (JsonNode second, _) = await api.WaitForAsync(runId, r => (int)r["currentTurn"]! == 2 && (string)r["status"]! is "idle" or "failed", RunTimeout);
        Assert.True((string)second["status"]! == "idle", second.ToJsonString());
        Assert.Equal("ok", (string)second["assistantText"]!);
        JsonArray events = (await api.GetRunAsync(runId, events: true))["events"]!.AsArray();
        Assert.Equal(2, events.Count(e => (string)e!["type"]! == "agent.text" && (string)e["data"]!["text"]! == "ok"));

        using HttpResponseMessage end = await api.PostAsync($"runs/{runId}/messages", new { endSession = true });
        Assert.Equal(HttpStatusCode.Accepted, end.StatusCode);
        (JsonNode completed, _) = await api.WaitForAsync(runId, r => (string)r["status"]! is "completed" or "failed", RunTimeout);
        Assert.Equal("completed", (string)completed["status"]!);
        Assert.Equal("end_session", (string)completed["endReason"]!);

        Assert.Empty(Directory.EnumerateFileSystemEntries(sandboxRoot));
        Assert.Empty(ChildProcessesOf(host.ProcessId));
    }

    // The shape of the idle-capacity benchmark: many runs created back to back, all held warm at once.
    [Fact]
    public async Task FiftyRunsCreatedBackToBack_AllReachIdle()
    {
        using ApiClient api = new(host!.BaseUrl, key);
        List<string> runIds = [];
        for (int i = 0; i < 50; i++)
        {
            JsonNode run = await api.CreateRunAsync(new { repository = "octo/bench", prompt = $"say hi {i}", modelId = "bench/model" });
            runIds.Add((string)run["id"]!);
        }

        foreach (string runId in runIds)
        {
            (JsonNode run, _) = await api.WaitForAsync(runId, r => (string)r["status"]! is "idle" or "failed" or "completed", RunTimeout);
            Assert.True((string)run["status"]! == "idle", run.ToJsonString());
            Assert.Equal("ok", (string)run["assistantText"]!);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(sandboxRoot));
        Assert.Empty(ChildProcessesOf(host.ProcessId));
    }

    private static List<string> ChildProcessesOf(int pid) =>
        Directory.EnumerateDirectories($"/proc/{pid}/task")
            .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToList();
}
