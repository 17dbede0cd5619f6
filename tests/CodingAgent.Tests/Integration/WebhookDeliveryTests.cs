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
public sealed class WebhookDeliveryTests(TestEnvironment environment) : IAsyncLifetime
{
    private const string Account = "hooks";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private SelfHostProcess? host;
    private WebhookReceiver? receiver;

    public async Task InitializeAsync()
    {
        Dictionary<string, string> settings = environment.Environment();
        settings["CodingAgent__Webhooks__AllowLoopback"] = "true";
        settings["CodingAgent__Webhooks__FirstRetrySeconds"] = "1";
        settings["CodingAgent__Webhooks__MaxRetrySeconds"] = "2";
        receiver = await WebhookReceiver.StartAsync();
        host = await SelfHostProcess.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        if (receiver is not null)
        {
            await receiver.DisposeAsync();
        }
    }

    [Fact]
    public async Task ReceiverFailingTwice_GetsTheEventExactlyOnceMore_SignedWithTheAccountsSecret_AndTheRunLogsIt()
    {
        receiver!.FailFirst = 2;
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(host!.BaseUrl, await environment.CreateKeyAsync(Account));
        string secret = (await environment.AccountsAsync("webhook-secret", "--account", Account)).Trim();

        JsonNode created = await api.CreateRunAsync(new
        {
            repository = repo.Path,
            prompt = "say Hooked.",
            modelId = "scripted/model",
            webhook = new { url = new Uri(receiver.BaseUrl, "hook").ToString(), events = new[] { "turn.completed" } },
        });
        string runId = (string)created["id"]!;
        Assert.Equal(["turn.completed"], created["webhook"]!["events"]!.AsArray().Select(e => (string)e!));

        JsonNode log = await WaitForDeliveredAsync(api, runId);
        JsonNode delivery = Assert.Single(log["deliveries"]!.AsArray())!;
        Assert.Equal(("turn.completed", 1, 3, 200), ((string)delivery["event"]!, (int)delivery["turn"]!, (int)delivery["attempts"]!, (int)delivery["lastStatusCode"]!));

        ReceivedWebhook[] received = [.. receiver.Received];
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
        Assert.Equal(3, receiver.Received.Count);
    }

    [Fact]
    public async Task PrivateAddress_IsRefusedWith400_AndCreatesNothing()
    {
        using ApiClient api = new(host!.BaseUrl, await environment.CreateKeyAsync(Account + "-private"));
        using TestRepository repo = TestRepository.Create();

        using HttpResponseMessage refused = await api.PostAsync("runs", new
        {
            repository = repo.Path, prompt = "say Never.", modelId = "scripted/model", webhook = new { url = "https://169.254.169.254/latest/meta-data" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.NotNull((await ApiClient.BodyAsync(refused))["errors"]!["webhook.url"]);
        using HttpResponseMessage list = await api.GetAsync("runs");
        Assert.Empty((await ApiClient.BodyAsync(list))["runs"]!.AsArray());
    }

    private static async Task<JsonNode> WaitForDeliveredAsync(ApiClient api, string runId)
    {
        using CancellationTokenSource limit = new(Timeout);
        while (true)
        {
            using HttpResponseMessage response = await api.GetAsync($"runs/{runId}/deliveries");
            JsonNode log = await ApiClient.BodyAsync(response);
            if (log["deliveries"]!.AsArray().Any(d => (string)d!["status"]! == "delivered") || limit.IsCancellationRequested)
            {
                return log;
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
