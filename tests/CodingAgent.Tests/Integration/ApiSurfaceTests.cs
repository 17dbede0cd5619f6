using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CodingAgent.Hosting;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Integration;

/// <summary>The rest of the REST API over real HTTP: list, patch, continueFrom, Idempotency-Key, limits, OpenAPI, key revocation.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class ApiSurfaceTests(TestEnvironment environment) : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);
    private SelfHostProcess? host;

    public async Task InitializeAsync() => host = await SelfHostProcess.StartAsync(environment.Environment());

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        environment.EndSandboxProcesses();
    }

    [Fact]
    public async Task ListRuns_NewestFirst_CursorIsStable_FiltersByStatusAndTag_PatchOutlivesTheSandbox()
    {
        using ApiClient api = new(host!.BaseUrl, await environment.CreateKeyAsync("lister"));
        using TestRepository repo = TestRepository.Create();
        string first = await CreateAsync(api, repo, "write hello.txt: Hello\nedit calc.py: a + b => a - b\nsay Changed.", ["alpha"]);
        string second = await CreateAsync(api, repo, "say Nothing.", ["beta"]);
        string third = await CreateAsync(api, repo, "say Nothing either.", ["alpha"]);

        JsonNode page1 = await GetJsonAsync(api, "runs?limit=2");
        Assert.Equal([third, second], Ids(page1));
        string cursor = (string)page1["nextCursor"]!;
        string fourth = await CreateAsync(api, repo, "say Late.", ["gamma"]);
        JsonNode page2 = await GetJsonAsync(api, $"runs?limit=2&cursor={cursor}");
        Assert.Equal([first], Ids(page2));
        Assert.Null((string?)page2["nextCursor"]);
        Assert.Equal([third, first], Ids(await GetJsonAsync(api, "runs?tag=alpha")));

        foreach (string id in new[] { first, second, third, fourth })
        {
            await api.WaitForAsync(id, r => (string)r["status"]! == "idle", RunTimeout);
        }

        using (HttpResponseMessage patch = await api.GetAsync($"runs/{first}/patch"))
        {
            Assert.Equal("text/x-diff", patch.Content.Headers.ContentType!.MediaType);
            string diff = await patch.Content.ReadAsStringAsync();
            Assert.Contains("+++ b/hello.txt", diff, StringComparison.Ordinal);
            Assert.Contains("-    return a + b", diff, StringComparison.Ordinal);
            Assert.Contains("+    return a - b", diff, StringComparison.Ordinal);
            Assert.DoesNotContain(".coding-agent", diff, StringComparison.Ordinal);
        }

        using HttpResponseMessage end = await api.PostAsync($"runs/{first}/messages", new { endSession = true });
        Assert.Equal(HttpStatusCode.Accepted, end.StatusCode);
        await api.WaitForAsync(first, r => (string)r["status"]! == "completed", RunTimeout);
        Assert.Equal([first], Ids(await GetJsonAsync(api, "runs?status=completed")));
        Assert.Equal([fourth, third, second], Ids(await GetJsonAsync(api, "runs?status=idle")));

        JsonNode withPatch = await GetJsonAsync(api, $"runs/{first}?patch=1");
        Assert.Contains("+++ b/hello.txt", (string)withPatch["patch"]!, StringComparison.Ordinal);
        Assert.Null(withPatch["events"]);
    }

    [Fact]
    public async Task ContinueFrom_FallbackOfAnEndedRun_StartsANewRunCarryingThePreviousConversation()
    {
        using ApiClient api = new(host!.BaseUrl, await environment.CreateKeyAsync("chainer"));
        using TestRepository repo = TestRepository.Create();
        string previous = await CreateAsync(api, repo, "say Alpha done.", []);
        await api.WaitForAsync(previous, r => (string)r["status"]! == "idle", RunTimeout);
        using HttpResponseMessage end = await api.PostAsync($"runs/{previous}/messages", new { endSession = true });
        await api.WaitForAsync(previous, r => (string)r["status"]! == "completed", RunTimeout);

        using HttpResponseMessage refused = await api.PostAsync($"runs/{previous}/messages", new { prompt = "say Continued." });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        JsonNode problem = await ApiClient.BodyAsync(refused);
        Assert.Equal("ended", (string)problem["reason"]!);
        JsonNode fallback = problem["fallback"]!;
        Assert.Equal(previous, (string)fallback["continueFrom"]!);
        Assert.Equal("say Continued.", (string)fallback["prompt"]!);

        using HttpResponseMessage created = await api.SendAsync(new HttpRequestMessage(HttpMethod.Post, "runs")
        {
            Content = new StringContent(fallback.ToJsonString(), Encoding.UTF8, "application/json"),
        });
        JsonNode run = (await ApiClient.BodyAsync(created))["run"]!;
        Assert.True(created.StatusCode == HttpStatusCode.Accepted, run.ToJsonString());
        string next = (string)run["id"]!;
        Assert.Equal(previous, (string)run["continuedFrom"]!);
        Assert.Equal(repo.Path, (string)run["repository"]!);

        (JsonNode idle, _) = await api.WaitForAsync(next, r => (string)r["status"]! == "idle", RunTimeout);
        Assert.Equal("Continued.", (string)idle["assistantText"]!);
        string sandbox = Assert.Single(new SandboxInspector(environment).SandboxesOf(next));
        string task = File.ReadAllText(Path.Combine(sandbox, "home", "repo", ".coding-agent", "task-1.md"));
        Assert.Contains(previous, task, StringComparison.Ordinal);
        Assert.Contains("Alpha done.", task, StringComparison.Ordinal);
        Assert.EndsWith("say Continued.", task.TrimEnd(), StringComparison.Ordinal);

        using HttpResponseMessage unknown = await api.PostAsync("runs", new { continueFrom = "run_0000000000000abcdefghij", prompt = "say x", modelId = "m" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.NotNull((await ApiClient.BodyAsync(unknown))["errors"]!["continueFrom"]);
    }

    [Fact]
    public async Task IdempotencyKey_ConcurrentDuplicatesMakeOneRun_SameKeyOtherBodyIs422_MessagesAreNotAcceptedTwice()
    {
        using ApiClient api = new(host!.BaseUrl, await environment.CreateKeyAsync("idem"));
        using TestRepository repo = TestRepository.Create();
        string body = new JsonObject { ["repository"] = repo.Path, ["prompt"] = "say Once.", ["modelId"] = "scripted/model" }.ToJsonString();

        HttpResponseMessage[] answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostRawAsync(api, "runs", body, "create-1")));
        string[] ids = await Task.WhenAll(answers.Select(async a =>
        {
            Assert.Equal(HttpStatusCode.Accepted, a.StatusCode);
            return (string)(await ApiClient.BodyAsync(a))["run"]!["id"]!;
        }));
        Assert.Single(ids.Distinct());
        Assert.All(answers, a => Assert.EndsWith($"/runs/{ids[0]}/turns/1", a.Headers.Location!.ToString()));
        Assert.Equal(3, answers.Count(a => a.Headers.Contains("Idempotent-Replayed")));
        Assert.Equal([ids[0]], Ids(await GetJsonAsync(api, "runs")));

        using HttpResponseMessage reused = await PostRawAsync(api, "runs", body.Replace("Once", "Twice", StringComparison.Ordinal), "create-1");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("idempotency_key_reused", (string)(await ApiClient.BodyAsync(reused))["code"]!);

        await api.WaitForAsync(ids[0], r => (string)r["status"]! == "idle", RunTimeout);
        string message = new JsonObject { ["prompt"] = "say Follow-up." }.ToJsonString();
        using HttpResponseMessage firstTry = await PostRawAsync(api, $"runs/{ids[0]}/messages", message, "message-1");
        using HttpResponseMessage retry = await PostRawAsync(api, $"runs/{ids[0]}/messages", message, "message-1");
        Assert.Equal(2, (int)(await ApiClient.BodyAsync(firstTry))["turn"]!["number"]!);
        Assert.Equal(2, (int)(await ApiClient.BodyAsync(retry))["turn"]!["number"]!);
        using HttpResponseMessage third = await api.GetAsync($"runs/{ids[0]}/turns/3");
        Assert.Equal(HttpStatusCode.NotFound, third.StatusCode);
        foreach (HttpResponseMessage answer in answers)
        {
            answer.Dispose();
        }
    }

    [Fact]
    public async Task Limits_ActiveSessionsThenCreationsPerMinute_Answer429WithRetryAfter()
    {
        Dictionary<string, string> settings = environment.Environment();
        settings["CodingAgent__Limits__RunCreationsPerMinute"] = "3";
        settings["CodingAgent__Limits__ActiveSessionsPerAccount"] = "2";
        await using SelfHostProcess limited = await SelfHostProcess.StartAsync(settings);
        using ApiClient api = new(limited.BaseUrl, await environment.CreateKeyAsync("limited"));
        using TestRepository repo = TestRepository.Create();
        string one = await CreateAsync(api, repo, "say One.", []);
        await CreateAsync(api, repo, "say Two.", []);

        await AssertLimitedAsync(api, repo, "too_many_active_sessions");
        await api.WaitForAsync(one, r => (string)r["status"]! == "idle", RunTimeout);
        using HttpResponseMessage end = await api.PostAsync($"runs/{one}/messages", new { endSession = true });
        await api.WaitForAsync(one, r => (string)r["status"]! == "completed", RunTimeout);
        await CreateAsync(api, repo, "say Three.", []);
        await AssertLimitedAsync(api, repo, "rate_limited");
    }

    [Fact]
    public async Task RevokedKey_IsRefusedAtOnce()
    {
        string key = await environment.CreateKeyAsync("revoker");
        using ApiClient api = new(host!.BaseUrl, key);
        using (HttpResponseMessage before = await api.GetAsync("runs"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        string keyId = key.Split('_')[1];
        Assert.Contains(keyId, await environment.KeysAsync("list", "--account", "revoker"), StringComparison.Ordinal);
        await environment.KeysAsync("revoke", "--key-id", keyId);
        using HttpResponseMessage after = await api.GetAsync("runs");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("unauthorized", (string)(await ApiClient.BodyAsync(after))["code"]!);
        Assert.Contains("revoked", await environment.KeysAsync("list", "--account", "revoker"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_ServedWithoutAKey_DescribesEveryHttpRoute()
    {
        using ApiClient anonymous = new(host!.BaseUrl, null);
        JsonNode document = await GetJsonAsync(anonymous, "openapi.json");
        Assert.StartsWith("3.", (string)document["openapi"]!, StringComparison.Ordinal);
        JsonObject paths = document["paths"]!.AsObject();
        foreach (FunctionEntry function in FunctionCatalog.Discover(typeof(CodingAgent.Functions.HealthFunction).Assembly).Where(f => f.Kind == FunctionKind.Http))
        {
            string path = "/api/" + function.Route;
            Assert.True(paths.ContainsKey(path), $"{path} is missing");
            Assert.All(function.HttpMethods, m => Assert.NotNull(paths[path]![m.ToLowerInvariant()]));
        }
    }

    private static async Task AssertLimitedAsync(ApiClient api, TestRepository repo, string code)
    {
        using HttpResponseMessage refused = await api.PostAsync("runs", new { repository = repo.Path, prompt = "say Too many.", modelId = "scripted/model" });
        JsonNode problem = await ApiClient.BodyAsync(refused);
        Assert.True(refused.StatusCode == HttpStatusCode.TooManyRequests, problem.ToJsonString());
        Assert.Equal(code, (string)problem["code"]!);
        Assert.True(refused.Headers.RetryAfter!.Delta > TimeSpan.Zero);
    }

    private static async Task<string> CreateAsync(ApiClient api, TestRepository repo, string prompt, string[] tags) =>
        (string)(await api.CreateRunAsync(new { repository = repo.Path, prompt, modelId = "scripted/model", tags }))["id"]!;

    private static async Task<HttpResponseMessage> PostRawAsync(ApiClient api, string path, string json, string idempotencyKey)
    {
        HttpRequestMessage request = new(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await api.SendAsync(request);
    }

    private static async Task<JsonNode> GetJsonAsync(ApiClient api, string path)
    {
        using HttpResponseMessage response = await api.GetAsync(path);
        JsonNode body = await ApiClient.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    private static string[] Ids(JsonNode page) => page["runs"]!.AsArray().Select(r => (string)r!["id"]!).ToArray();
}
