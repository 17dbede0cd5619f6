using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// One self-host and the real things the corpus points at: keys of every kind (read+write, read-only, write-only,
/// revoked, another account's), one idle run of the test account and one of another account, and a request that used
/// <see cref="UsedIdempotencyKey"/>. Both runs are left idle with a day-long idle window and reads never write, so nothing
/// but a hostile request that wrongly succeeds can change the storage while cases run (such a success also disturbs the
/// cases after it: look at the first failure).
/// </summary>
public sealed class HostileInputFixture(TestEnvironment environment) : IAsyncLifetime
{
    public const string UsedIdempotencyKey = "hostile-fixture-create-1";
    private const string Account = "hostile-a";
    private const string OtherAccount = "hostile-b";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    // Storage names of its own, so each snapshot reads only what this fixture's host could have changed.
    private readonly Dictionary<string, string> settings =
        environment.Environment(namePrefix: "h" + System.Security.Cryptography.RandomNumberGenerator.GetHexString(8, lowercase: true));
    private TestRepository? repository;

    private string Prefix => settings["CodingAgent__Storage__NamePrefix"];
    private SelfHostProcess? host;
    private HostileRequests? requests;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public HostileRequests Requests => requests ?? throw new InvalidOperationException("The fixture is not initialized.");

    public string HostOutput => host?.RecentOutput ?? string.Empty;

    public Task<StorageSnapshot> SnapshotAsync() =>
        StorageSnapshot.TakeAsync(environment.StorageConnectionString, Prefix, settings["CodingAgent__Durable__TaskHub"]);

    public async Task InitializeAsync()
    {

        string[] keys = await Task.WhenAll(
            environment.CreateKeyAsync(Account, namePrefix: Prefix),
            environment.CreateKeyAsync(Account, "read:builder", Prefix),
            environment.CreateKeyAsync(Account, "write:builder", Prefix),
            environment.CreateKeyAsync(Account, namePrefix: Prefix),
            environment.CreateKeyAsync(OtherAccount, namePrefix: Prefix));
        (string valid, string readOnly, string writeOnly, string revoked, string other) = (keys[0], keys[1], keys[2], keys[3], keys[4]);
        await environment.KeysInAsync(Prefix, "revoke", "--key-id", revoked.Split('_')[1]);

        host = await SelfHostProcess.StartAsync(settings);
        repository = TestRepository.Create();
        using ApiClient api = new(host.BaseUrl, valid);
        using ApiClient otherApi = new(host.BaseUrl, other);
        object runBody = new
        {
            repository = repository.Path,
            prompt = "say Done.",
            modelId = "scripted/model",
            session = new { idleTimeoutSeconds = 86_400, maxLifetimeSeconds = 86_400 },
        };
        string runId = await CreateWithIdempotencyKeyAsync(api, runBody);
        string otherRunId = (string)(await otherApi.CreateRunAsync(runBody))["id"]!;
        await Task.WhenAll(WaitUntilSettledIdleAsync(api, runId), WaitUntilSettledIdleAsync(otherApi, otherRunId));

        string keyId = valid.Split('_')[1];
        requests = new HostileRequests(host.BaseUrl,
            new Dictionary<string, string>
            {
                ["valid"] = "Bearer " + valid,
                ["readOnly"] = "Bearer " + readOnly,
                ["writeOnly"] = "Bearer " + writeOnly,
                ["revoked"] = "Bearer " + revoked,
                ["otherAccount"] = "Bearer " + other,
                ["malformed"] = "Bearer not-a-coding-agent-key",
                ["unknown"] = "Bearer crt_zzzzzzzzzzzz_" + new string('A', 40),
                ["wrongSecret"] = $"Bearer crt_{keyId}_" + new string('x', 40),
            },
            new Dictionary<string, string> { ["runId"] = runId, ["otherRunId"] = otherRunId, ["repo"] = repository.Path });
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        environment.EndSandboxProcesses();

        repository?.Dispose();
    }

    private static async Task<string> CreateWithIdempotencyKeyAsync(ApiClient api, object body)
    {
        using HttpRequestMessage request = new(HttpMethod.Post, "runs") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", UsedIdempotencyKey);
        using HttpResponseMessage response = await api.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /runs answered {(int)response.StatusCode}: {text}");
        return (string)JsonNode.Parse(text)!["run"]!["id"]!;
    }

    // Idle is written before the turn's last events are appended, so wait for the final run.status event as well.
    private static async Task WaitUntilSettledIdleAsync(ApiClient api, string runId)
    {
        using CancellationTokenSource limit = new(RunTimeout);
        while (true)
        {
            JsonNode body = await api.GetRunAsync(runId, events: true);
            string status = (string)body["run"]!["status"]!;
            JsonNode? last = body["events"]!.AsArray().LastOrDefault();
            if (status == "idle" && (string?)last?["type"] == "run.status" && (string?)last["data"]!["status"] == "idle")
            {
                return;
            }

            if (status is "completed" or "failed" or "cancelled" || limit.IsCancellationRequested)
            {
                throw new InvalidOperationException($"Run {runId} did not settle idle: {body["run"]!.ToJsonString()}");
            }

            await Task.Delay(PollInterval);
        }
    }
}
