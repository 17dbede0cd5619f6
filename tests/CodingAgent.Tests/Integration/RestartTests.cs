using System.Net;
using System.Text.Json.Nodes;
using CodingAgent.Model;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Integration;

/// <summary>A control-plane crash while a run is idle loses nothing: the restarted self-host runs the follow-up as turn 2 of the same run.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class RestartTests(TestEnvironment environment)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task SelfHost_KilledWhileIdle_NextFollowUpRunsInSameSandboxAfterRestart()
    {
        SandboxInspector inspector = new(environment);
        string key = await environment.CreateKeyAsync("initech");
        Dictionary<string, string> settings = environment.Environment("azurestorage");
        using TestRepository repo = TestRepository.Create();

        string runId;
        int pid;
        string sandbox;
        string? sessionId;
        int port;
        await using (SelfHostProcess first = await SelfHostProcess.StartAsync(settings))
        {
            port = first.BaseUrl.Port;
            using ApiClient api = new(first.BaseUrl, key);
            JsonNode run = await api.CreateRunAsync(new { repository = repo.Path, prompt = "write a.txt: before the crash", modelId = "scripted/model" });
            runId = (string)run["id"]!;
            await api.WaitForAsync(runId, r => (string)r["status"]! == "idle", RunTimeout);
            sandbox = Assert.Single(inspector.SandboxesOf(runId));
            pid = Assert.Single(SandboxInspector.ProcessIds(sandbox));
            sessionId = (await inspector.RunRecordAsync("initech", runId)).Agent!.SessionId;
            await first.KillAsync();
        }

        // A restart comes back where it was: the sandbox's OpenCode keeps the model gateway's address it started with.
        await using SelfHostProcess second = await SelfHostProcess.StartAsync(settings, port);
        using ApiClient again = new(second.BaseUrl, key);
        using HttpResponseMessage followUp = await again.PostAsync($"runs/{runId}/messages", new { prompt = "write b.txt: after the restart" });
        Assert.Equal(HttpStatusCode.Accepted, followUp.StatusCode);

        (JsonNode done, _) = await again.WaitForAsync(runId, r => (int)r["currentTurn"]! == 2 && (string)r["status"]! == "idle", RunTimeout);
        Assert.Equal(2, (int)done["patchStats"]!["filesChanged"]!);
        Assert.True(File.Exists(Path.Combine(sandbox, "home", "repo", "b.txt")));
        Assert.Equal([pid], SandboxInspector.ProcessIds(sandbox));
        Assert.True(SandboxInspector.IsAlive(pid));
        RunRecord record = await inspector.RunRecordAsync("initech", runId);
        Assert.Equal(sessionId, record.Agent!.SessionId);

        await again.PostAsync($"runs/{runId}/messages", new { endSession = true });
        await again.WaitForAsync(runId, r => (string)r["status"]! == "completed", RunTimeout);
        Assert.Empty(inspector.SandboxesOf(runId));
    }
}
