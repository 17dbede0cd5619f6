using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using CodingAgent.Model;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// The sandbox holds no platform secret (issue: the trust boundary, items 1 and 4): OpenCode talks to the control plane's
/// model gateway with a per-run token, the managed key stays in the control plane, and neither the agent's nor the
/// validation command's environment carries the host's own settings. The agent itself looks for the key, as an attacker would.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class SandboxSecretBoundaryTests(TestEnvironment environment) : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(180);
    private readonly string modelKey = "sk-managed-" + RandomNumberGenerator.GetHexString(32, lowercase: true);
    private readonly string fooSecret = "foo-" + RandomNumberGenerator.GetHexString(24, lowercase: true);
    private readonly string azureFilesSecret = "AccountKey=" + RandomNumberGenerator.GetHexString(40, lowercase: true);
    private SelfHostProcess host = null!;
    private string key = string.Empty;

    public async Task InitializeAsync()
    {
        key = await environment.CreateKeyAsync("boundary");
        Dictionary<string, string> settings = environment.Environment();
        settings["CodingAgent__Model__ApiKey"] = modelKey;
        settings["FOO_SECRET"] = fooSecret;
        settings["WEBSITE_CONTENTAZUREFILECONNECTIONSTRING"] = azureFilesSecret;
        host = await SelfHostProcess.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        environment.EndSandboxProcesses();
    }

    [Fact]
    public async Task HostileAgent_LooksForThePlatformKey_FindsOnlyItsRunsGatewayToken()
    {
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(host.BaseUrl, key);
        int modelRequestsBefore = environment.Model.Requests.Count;
        string half = modelKey[..(modelKey.Length / 2)];
        string otherHalf = modelKey[(modelKey.Length / 2)..];
        // The key is put together inside the sandbox, so neither the prompt nor the logged command contains it. The probe
        // runs from a script, as a hostile agent would do to get past OpenCode's own external-directory check.
        string probe = "env > probe-env.txt; cat /proc/*/environ 2>/dev/null | tr '\\0' '\\n' > probe-proc.txt; "
            + $"K=$(printf %s '{half}' '{otherHalf}'); "
            + "find / -xdev -name '*.json' -size -2M 2>/dev/null | xargs -r grep -lF \"$K\" 2>/dev/null > probe-files.txt; echo probed";
        JsonNode created = await api.CreateRunAsync(new
        {
            repository = repo.Path,
            prompt = $"write probe.sh: {probe}\nbash: bash probe.sh\nsay Probed.",
            modelId = "anthropic/claude-sonnet-4.6",
            validationMode = "tests",
            validation = new { command = "env > \"$HOME/validation-env.txt\"; echo validated" },
        });
        string runId = (string)created["id"]!;

        (JsonNode idle, _) = await api.WaitForAsync(runId, r => (string)r["status"]! == "idle", RunTimeout);
        Assert.Equal("Probed.", (string)idle["assistantText"]!);
        Assert.Equal("passed", (string)idle["validation"]!["status"]!);

        RunRecord record = await new SandboxInspector(environment).RunRecordAsync("boundary", runId);
        string sandboxHome = Path.Combine(environment.SandboxRoot, record.Agent!.SandboxId, "home");
        string agentEnv = File.ReadAllText(Path.Combine(sandboxHome, "repo", "probe-env.txt"));
        string everyProcessEnv = File.ReadAllText(Path.Combine(sandboxHome, "repo", "probe-proc.txt"));
        string filesWithKey = File.ReadAllText(Path.Combine(sandboxHome, "repo", "probe-files.txt"));
        string validationEnv = File.ReadAllText(Path.Combine(sandboxHome, "validation-env.txt"));

        // What the agent has is its run's gateway token and the gateway's address; no platform secret, no host setting.
        Assert.Contains($"CODING_AGENT_MODEL_TOKEN=mgw.{runId}.", agentEnv, StringComparison.Ordinal);
        Assert.Contains("PATH=", validationEnv, StringComparison.Ordinal);
        foreach ((string what, string text) in new[] { ("agent env", agentEnv), ("validation env", validationEnv), ("/proc/*/environ", everyProcessEnv) })
        {
            Assert.False(text.Contains(modelKey, StringComparison.Ordinal), $"{what} holds the managed model key");
            Assert.False(text.Contains(fooSecret, StringComparison.Ordinal), $"{what} holds FOO_SECRET");
            Assert.False(text.Contains(azureFilesSecret, StringComparison.Ordinal), $"{what} holds WEBSITE_CONTENTAZUREFILECONNECTIONSTRING");
        }

        Assert.DoesNotContain("FOO_SECRET=", agentEnv, StringComparison.Ordinal);
        Assert.DoesNotContain("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING=", validationEnv, StringComparison.Ordinal);
        Assert.Equal(string.Empty, filesWithKey.Trim());
        Assert.Empty(FilesHolding(Path.Combine(environment.SandboxRoot, record.Agent.SandboxId), modelKey));

        // The provider saw the managed key on every call of this run — put there by the gateway, not by OpenCode.
        IReadOnlyList<Support.ScriptedModel.ModelRequestRecord> calls = environment.Model.Requests.Skip(modelRequestsBefore).ToList();
        Assert.NotEmpty(calls);
        Assert.All(calls, c => Assert.Equal("Bearer " + modelKey, c.Authorization));
        Assert.All(calls, c => Assert.Contains("\"model\":\"anthropic/claude-sonnet-4.6\"", c.Body, StringComparison.Ordinal));
        Assert.NotEmpty(await UsageRowsAsync(runId));

        // Nothing the API or the host shows holds the key.
        JsonNode withEvents = await api.GetRunAsync(runId, events: true);
        Assert.DoesNotContain(modelKey, withEvents.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("probe-env.txt", withEvents.ToJsonString(), StringComparison.Ordinal);
        using (HttpResponseMessage patch = await api.GetAsync($"runs/{runId}/patch"))
        {
            Assert.DoesNotContain(modelKey, await patch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The token works for this run only while its session is active, and only as the run's model.
        string token = TokenOf(agentEnv);
        using HttpClient gateway = new() { BaseAddress = host.BaseUrl };
        using (HttpResponseMessage answer = await PostToGatewayAsync(gateway, token))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        Assert.Contains("\"model\":\"anthropic/claude-sonnet-4.6\"", environment.Model.Requests[^1].Body, StringComparison.Ordinal);
        using (HttpResponseMessage forged = await PostToGatewayAsync(gateway, token[..^4] + "AAAA"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
            Assert.Equal("unauthorized", (string)(await ApiClient.BodyAsync(forged))["code"]!);
        }

        using (HttpResponseMessage end = await api.PostAsync($"runs/{runId}/messages", new { endSession = true }))
        {
            Assert.Equal(HttpStatusCode.Accepted, end.StatusCode);
        }

        await api.WaitForAsync(runId, r => (string)r["status"]! == "completed", RunTimeout);
        using (HttpResponseMessage afterEnd = await PostToGatewayAsync(gateway, token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, afterEnd.StatusCode);
        }

        Assert.DoesNotContain(modelKey, host.RecentOutput, StringComparison.Ordinal);
    }

    private static string TokenOf(string environmentDump)
    {
        const string Name = "CODING_AGENT_MODEL_TOKEN=";
        string line = environmentDump.Split('\n').Single(l => l.StartsWith(Name, StringComparison.Ordinal));
        return line[Name.Length..].Trim();
    }

    private static async Task<HttpResponseMessage> PostToGatewayAsync(HttpClient gateway, string token)
    {
        using HttpRequestMessage request = new(HttpMethod.Post, "api/model-gateway/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"some/dearer-model","messages":[{"role":"user","content":"say hello"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await gateway.SendAsync(request);
    }

    private static List<string> FilesHolding(string directory, string secret)
    {
        byte[] needle = Encoding.UTF8.GetBytes(secret);
        return Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(file => File.ReadAllBytes(file).AsSpan().IndexOf(needle) >= 0)
            .ToList();
    }

    private async Task<List<TableEntity>> UsageRowsAsync(string runId)
    {
        TableClient table = new(environment.StorageConnectionString, environment.NamePrefix + "modelusage");
        List<TableEntity> rows = [];
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(e => e.PartitionKey == runId))
        {
            Assert.True(row.GetInt64("InputTokens") > 0, "a model call recorded without input tokens");
            rows.Add(row);
        }

        return rows;
    }
}
