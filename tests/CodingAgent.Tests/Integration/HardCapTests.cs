using System.Net;
using System.Text.Json.Nodes;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// Hard caps that hold under concurrency (the trust boundary, item 6): active sessions per account as reserved slots,
/// queued turns per run, the deployment's models, and the stored patch's size. One self-host for the whole class.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class HardCapTests(TestEnvironment environment) : IAsyncLifetime
{
    private const int PatchCap = 4096;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);
    private SelfHostProcess host = null!;
    private string key = string.Empty;

    public async Task InitializeAsync()
    {
        key = await environment.CreateKeyAsync("capped");
        Dictionary<string, string> settings = environment.Environment();
        settings["CodingAgent__Limits__ActiveSessionsPerAccount"] = "2";
        settings["CodingAgent__Limits__RunCreationsPerMinute"] = "100";
        settings["CodingAgent__Limits__MaxQueuedTurns"] = "1";
        settings["CodingAgent__Limits__MaxPatchBytes"] = PatchCap.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["CodingAgent__Model__AllowedModels__0"] = "anthropic/*";
        settings["CodingAgent__Model__AllowedModels__1"] = "scripted/model";
        host = await SelfHostProcess.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        environment.EndSandboxProcesses();
    }

    // VmHWM: the most resident memory the process has had (proc(5)).
    private static long PeakResidentKilobytes(int pid) =>
        long.Parse(File.ReadAllLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Caps_TwentyRacingCreatesAQueueAndAHugeFile_HoldExactly()
    {
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(host.BaseUrl, key);

        using (HttpResponseMessage wrongModel = await api.PostAsync("runs", new { repository = repo.Path, prompt = "say hi", modelId = "openai/o3-pro" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrongModel.StatusCode);
            Assert.NotNull((await ApiClient.BodyAsync(wrongModel))["errors"]!["modelId"]);
        }

        // Twenty creations at once against a limit of two: exactly two runs exist afterwards.
        // Each run's agent writes a 200 MB file; the host reads at most a bounded prefix of its diff.
        string bigFile = "bash: head -c 150000000 /dev/urandom | base64 > big.txt";
        long peakBefore = PeakResidentKilobytes(host.ProcessId);
        HttpResponseMessage[] answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => api.PostAsync("runs", new
        {
            repository = repo.Path,
            prompt = $"{bigFile}\nsleep 8000\nsay Run {i} done.",
            modelId = "anthropic/claude-sonnet-4.6",
        })));
        Assert.Equal(2, answers.Count(a => a.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(18, answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests));
        foreach (HttpResponseMessage refused in answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests))
        {
            Assert.Equal("too_many_active_sessions", (string)(await ApiClient.BodyAsync(refused))["code"]!);
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        string[] runIds = await Task.WhenAll(answers.Where(a => a.StatusCode == HttpStatusCode.Accepted)
            .Select(async a => (string)(await ApiClient.BodyAsync(a))["run"]!["id"]!));
        using (HttpResponseMessage list = await api.GetAsync("runs?limit=50"))
        {
            Assert.Equal(2, (await ApiClient.BodyAsync(list))["runs"]!.AsArray().Count);
        }

        foreach (HttpResponseMessage answer in answers)
        {
            answer.Dispose();
        }

        // One prompt may queue behind the running turn; the next is refused until one starts.
        string busy = runIds[0];
        // Turn 1 must have started: until then it is itself the one queued prompt (sessionActive comes first, at agent start).
        await api.WaitForAsync(busy, r => (string)r["status"]! == "running" && (int)r["currentTurn"]! == 1, RunTimeout);
        using (HttpResponseMessage queued = await api.PostAsync($"runs/{busy}/messages", new { prompt = "say Queued." }))
        {
            Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        }

        using (HttpResponseMessage overflow = await api.PostAsync($"runs/{busy}/messages", new { prompt = "say One too many." }))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, overflow.StatusCode);
            Assert.Equal("too_many_queued_turns", (string)(await ApiClient.BodyAsync(overflow))["code"]!);
        }

        // The stored patch is a prefix of at most the cap, and says so; the host never held the 200 MB diff.
        (JsonNode settled, _) = await api.WaitForAsync(busy, r => (string)r["status"]! == "idle" && (int)r["currentTurn"]! == 2, RunTimeout);
        await api.WaitForAsync(runIds[1], r => (string)r["status"]! == "idle", RunTimeout);
        long grownKilobytes = PeakResidentKilobytes(host.ProcessId) - peakBefore;
        Assert.True(grownKilobytes < 150 * 1024, $"the host's peak resident memory grew by {grownKilobytes / 1024} MB during two 200 MB turns");
        Assert.True((bool)settled["patchTruncated"]!);
        Assert.Equal(1, (int)settled["patchStats"]!["filesChanged"]!);
        using (HttpResponseMessage patch = await api.GetAsync($"runs/{busy}/patch"))
        {
            string text = await patch.Content.ReadAsStringAsync();
            Assert.InRange(text.Length, 100, PatchCap);
            Assert.StartsWith("diff --git a/big.txt b/big.txt", text, StringComparison.Ordinal);
        }

        // Ending a session gives its slot back: the account may create one run again, and only one.
        using (HttpResponseMessage end = await api.PostAsync($"runs/{busy}/messages", new { endSession = true }))
        {
            Assert.Equal(HttpStatusCode.Accepted, end.StatusCode);
        }

        await api.WaitForAsync(busy, r => (string)r["status"]! == "completed", RunTimeout);
        HttpResponseMessage[] again = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => api.PostAsync("runs", new
        {
            repository = repo.Path,
            prompt = "say Again.",
            modelId = "scripted/model",
        })));
        Assert.Equal(1, again.Count(a => a.StatusCode == HttpStatusCode.Accepted));
        foreach (HttpResponseMessage answer in again)
        {
            answer.Dispose();
        }
    }
}
