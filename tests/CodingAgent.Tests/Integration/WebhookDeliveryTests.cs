using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// A run's signed webhook end to end: deliveries leave the run through their own retrying orchestration, carry a
/// Standard Webhooks signature the receiver can verify with the account's secret, and are logged on the run.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class WebhookDeliveryTests(TestEnvironment environment, WebhookDeliveryTests.Hooks hooks) : IClassFixture<WebhookDeliveryTests.Hooks>
{
    private const string Account = "hooks";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>One self-host (webhooks to loopback allowed, short retries, 3 attempts) and one receiver for the class.</summary>
    public sealed class Hooks(TestEnvironment environment) : IAsyncLifetime
    {
        public SelfHostProcess? Host { get; private set; }

        public WebhookReceiver? Receiver { get; private set; }

        public string PrivateKey { get; private set; } = string.Empty;

        public async Task InitializeAsync()
        {
            Dictionary<string, string> settings = environment.Environment();
            settings["CodingAgent__Webhooks__AllowLoopback"] = "true";
            settings["CodingAgent__Webhooks__FirstRetrySeconds"] = "1";
            settings["CodingAgent__Webhooks__MaxRetrySeconds"] = "2";
            settings["CodingAgent__Webhooks__MaxAttempts"] = "3";
            Receiver = await WebhookReceiver.StartAsync();
            Host = await SelfHostProcess.StartAsync(settings);
            PrivateKey = await environment.CreateKeyAsync(Account + "-private");
        }

        public async Task DisposeAsync()
        {
            if (Host is not null)
            {
                await Host.DisposeAsync();
            }

            environment.EndSandboxProcesses();

            if (Receiver is not null)
            {
                await Receiver.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ReceiverFailingTwice_GetsTheEventExactlyOnceMore_SignedWithTheAccountsSecret_AndTheRunLogsIt()
    {
        hooks.Receiver!.FailFirst = 2;
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(hooks.Host!.BaseUrl, await environment.CreateKeyAsync(Account));
        string secret = (await environment.AccountsAsync("webhook-secret", "--account", Account)).Trim();

        JsonNode created = await api.CreateRunAsync(new
        {
            repository = repo.Path,
            prompt = "say Hooked.",
            modelId = "scripted/model",
            webhook = new { url = new Uri(hooks.Receiver.BaseUrl, "hook").ToString(), events = new[] { "turn.completed" } },
        });
        string runId = (string)created["id"]!;
        Assert.Equal(["turn.completed"], created["webhook"]!["events"]!.AsArray().Select(e => (string)e!));

        JsonNode log = await WaitForDeliveredAsync(api, runId);
        JsonNode delivery = Assert.Single(log["deliveries"]!.AsArray())!;
        Assert.Equal(("turn.completed", 1, 3, 200), ((string)delivery["event"]!, (int)delivery["turn"]!, (int)delivery["attempts"]!, (int)delivery["lastStatusCode"]!));

        ReceivedWebhook[] received = [.. hooks.Receiver.Received.Where(r => r.Path == "/hook")];
        Assert.Equal(3, received.Length);
        Assert.All(received, r =>
        {
            Assert.Equal((string)delivery["id"]!, r.Headers["webhook-id"]);
            Assert.True(StandardWebhooksVerify(secret, r), $"signature {r.Headers["webhook-signature"]} does not verify");
            JsonNode body = JsonNode.Parse(r.Body)!;
            Assert.Equal(("turn.completed", runId, 1, "completed"), ((string)body["type"]!, (string)body["runId"]!, (int)body["turn"]!, (string)body["turnStatus"]!));
            Assert.EndsWith($"/runs/{runId}/turns/1", (string)body["links"]!["turn"]!);
        });
        Assert.False(StandardWebhooksVerify("whsec_" + Convert.ToBase64String(new byte[32]), received[0]));

        using HttpResponseMessage end = await api.PostAsync($"runs/{runId}/messages", new { endSession = true });
        await api.WaitForAsync(runId, r => (string)r["status"]! == "completed", Timeout);
        Assert.Equal(3, hooks.Receiver.Received.Count(r => r.Path == "/hook"));
    }

    public static TheoryData<string> PrivateTargets() =>
    [
        "https://169.254.169.254/latest/meta-data",
        "https://10.0.0.1/hook",
        "https://10.255.255.255/hook",
        "https://172.16.0.1/hook",
        "https://172.31.255.1/hook",
        "https://192.168.1.1/hook",
        "https://100.64.0.1/hook",
        "https://0.0.0.0/hook",
        "https://[fe80::1]/hook",
        "https://[fd12:3456::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://[::ffff:169.254.169.254]/hook",
        "https://167772161/hook",
        "https://0xa9fea9fe/hook",
        "https://224.0.0.251/hook",
        "ftp://93.184.215.14/hook",
        "https://user:secret@93.184.215.14/hook",
    ];

    [Theory]
    [MemberData(nameof(PrivateTargets))]
    public async Task PrivateOrMalformedTarget_IsRefusedWith400_AndCreatesNothing(string url)
    {
        using ApiClient api = new(hooks.Host!.BaseUrl, hooks.PrivateKey);
        using TestRepository repo = TestRepository.Create();

        using HttpResponseMessage refused = await api.PostAsync("runs", new { repository = repo.Path, prompt = "say Never.", modelId = "scripted/model", webhook = new { url } });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.NotNull((await ApiClient.BodyAsync(refused))["errors"]!["webhook.url"]);
        using HttpResponseMessage list = await api.GetAsync("runs");
        Assert.Empty((await ApiClient.BodyAsync(list))["runs"]!.AsArray());
    }

    [Fact]
    public async Task ReceiverThatRedirects_IsNotFollowed_AndTheDeliveryEndsFailed()
    {
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(hooks.Host!.BaseUrl, await environment.CreateKeyAsync(Account + "-redirect"));
        JsonNode created = await api.CreateRunAsync(new
        {
            repository = repo.Path, prompt = "say Redirected.", modelId = "scripted/model",
            webhook = new { url = new Uri(hooks.Receiver!.BaseUrl, "redirect").ToString(), events = new[] { "turn.completed" } },
        });
        string runId = (string)created["id"]!;

        JsonNode delivery = await WaitForDeliveryAsync(api, runId, "failed");

        Assert.Equal((3, 302), ((int)delivery["attempts"]!, (int)delivery["lastStatusCode"]!));
        Assert.Equal(3, hooks.Receiver.Received.Count(r => r.Path == "/redirect"));
        Assert.DoesNotContain(hooks.Receiver.Received, r => r.Path == "/hook" && JsonNode.Parse(r.Body)?["runId"]?.GetValue<string>() == runId);
        await api.PostAsync($"runs/{runId}/messages", new { endSession = true });
    }

    private static async Task<JsonNode> WaitForDeliveredAsync(ApiClient api, string runId)
    {
        await WaitForDeliveryAsync(api, runId, "delivered");
        using HttpResponseMessage response = await api.GetAsync($"runs/{runId}/deliveries");
        return await ApiClient.BodyAsync(response);
    }

    private static async Task<JsonNode> WaitForDeliveryAsync(ApiClient api, string runId, string status)
    {
        using CancellationTokenSource limit = new(Timeout);
        while (true)
        {
            using HttpResponseMessage response = await api.GetAsync($"runs/{runId}/deliveries");
            JsonNode log = await ApiClient.BodyAsync(response);
            if (log["deliveries"]!.AsArray().FirstOrDefault(d => (string)d!["status"]! == status) is { } delivery)
            {
                return delivery;
            }

            if (limit.IsCancellationRequested)
            {
                throw new TimeoutException($"No {status} delivery of {runId} in {Timeout}: {log.ToJsonString()}");
            }

            await Task.Delay(200);
        }
    }

    // Standard Webhooks, written here from the scheme, not with the product's code: HMAC-SHA256 with the base64-decoded
    // secret over "{webhook-id}.{webhook-timestamp}.{body}"; the header holds space-separated "v1,{base64}" signatures.
    private static bool StandardWebhooksVerify(string secret, ReceivedWebhook request)
    {
        byte[] key = Convert.FromBase64String(secret["whsec_".Length..]);
        string signed = $"{request.Headers["webhook-id"]}.{request.Headers["webhook-timestamp"]}.{request.Body}";
        string expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(signed)));
        long timestamp = long.Parse(request.Headers["webhook-timestamp"], CultureInfo.InvariantCulture);
        bool fresh = Math.Abs(DateTimeOffset.FromUnixTimeSeconds(timestamp).Subtract(TimeProvider.System.GetUtcNow()).TotalMinutes) < 5;
        return fresh && request.Headers["webhook-signature"].Split(' ').Any(s => s.StartsWith("v1,", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s[3..]), Encoding.ASCII.GetBytes(expected)));
    }
}
