using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Integration;

/// <summary>The Logic Apps door: what the HTTP action and the HTTP Webhook action do, against the self-host.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class LogicAppsTests(TestEnvironment environment) : IAsyncLifetime
{
    private const string Account = "logicapps";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private SelfHostProcess? host;
    private WebhookReceiver? callbacks;

    public async Task InitializeAsync()
    {
        Dictionary<string, string> settings = environment.Environment();
        settings["CodingAgent__Webhooks__AllowLoopback"] = "true";
        callbacks = await WebhookReceiver.StartAsync();
        host = await SelfHostProcess.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        environment.EndSandboxProcesses();

        if (callbacks is not null)
        {
            await callbacks.DisposeAsync();
        }
    }

    [Fact]
    public async Task HttpActionPolls_ThenTheWebhookActionIsCalledBackOncePerSubscription_AndUnsubscribes()
    {
        using TestRepository repo = TestRepository.Create();
        using HttpClient http = new() { BaseAddress = new Uri(host!.BaseUrl, "api/v1/coding-agent/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await environment.CreateKeyAsync(Account));

        // Create run: the HTTP action follows Location with Retry-After until the turn answers 200.
        using HttpRequestMessage create = new(HttpMethod.Post, new Uri(http.BaseAddress!, "runs"))
        {
            Content = JsonContent.Create(new { repository = repo.Path, prompt = "say First.", modelId = "scripted/model" }),
        };
        create.Headers.Authorization = http.DefaultRequestHeaders.Authorization;
        (HttpResponseMessage settled, int polls) = await LogicAppsActions.HttpActionAsync(http, create, Timeout);
        JsonNode turn1;
        string runId;
        using (settled)
        {
            Assert.Equal(HttpStatusCode.OK, settled.StatusCode);
            Assert.True(polls >= 1);
            turn1 = (await ApiClient.BodyAsync(settled))["turn"]!;
            runId = settled.RequestMessage!.RequestUri!.AbsolutePath.Split('/')[^3];
        }

        Assert.Equal("completed", (string)turn1["status"]!);

        // Follow-up, then the webhook action waits for it: subscribe → one callback when turn 2 settles → unsubscribe.
        using HttpResponseMessage followUp = await http.PostAsJsonAsync($"runs/{runId}/messages", new { prompt = "say Second." });
        Assert.Equal(HttpStatusCode.Accepted, followUp.StatusCode);
        using HttpResponseMessage subscribed = await LogicAppsActions.SubscribeAsync(http, $"runs/{runId}/subscriptions", new Uri(callbacks!.BaseUrl, "turn2?sig=secret"));
        Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        JsonNode subscription = (await ApiClient.BodyAsync(subscribed))["subscription"]!;
        Assert.Equal(2, (int)subscription["turn"]!);
        Assert.DoesNotContain("sig=secret", subscribed.Content.Headers.ToString() + await subscribed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        ReceivedWebhook callback = await CallbackAsync("/turn2");
        JsonNode body = JsonNode.Parse(callback.Body)!;
        Assert.Equal(("turn.completed", 2, "completed", runId), ((string)body["type"]!, (int)body["turn"]!, (string)body["turnStatus"]!, (string)body["runId"]!));
        using HttpResponseMessage unsubscribed = await http.DeleteAsync(subscribed.Headers.Location);
        Assert.Equal(HttpStatusCode.NoContent, unsubscribed.StatusCode);
        using HttpResponseMessage again = await http.DeleteAsync(subscribed.Headers.Location);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);

        // Wait for the run's end: subscribed until ended, then the session is ended.
        using HttpResponseMessage untilEnded = await LogicAppsActions.SubscribeAsync(http, $"runs/{runId}/subscriptions", new Uri(callbacks.BaseUrl, "ended"), "ended");
        Assert.Equal(HttpStatusCode.Created, untilEnded.StatusCode);
        using HttpResponseMessage end = await http.PostAsJsonAsync($"runs/{runId}/messages", new { endSession = true });
        ReceivedWebhook ended = await CallbackAsync("/ended");
        Assert.Equal(("run.completed", "completed"), ((string)JsonNode.Parse(ended.Body)!["type"]!, (string)JsonNode.Parse(ended.Body)!["status"]!));

        using HttpResponseMessage deliveries = await http.GetAsync($"runs/{runId}/deliveries");
        JsonArray log = (await ApiClient.BodyAsync(deliveries))["deliveries"]!.AsArray();
        Assert.Equal(2, log.Count(d => (string)d!["kind"]! == "subscription" && (string)d["status"]! == "delivered"));
        Assert.DoesNotContain(log, d => ((string)d!["target"]!).Contains("sig=", StringComparison.Ordinal));
        Assert.Single(callbacks.Received, r => r.Path == "/turn2");
        Assert.Single(callbacks.Received, r => r.Path == "/ended");

        using HttpResponseMessage unknown = await http.DeleteAsync($"runs/{runId}/subscriptions/sub_0000000000000000");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private async Task<ReceivedWebhook> CallbackAsync(string path)
    {
        using CancellationTokenSource limit = new(Timeout);
        while (!callbacks!.Received.Any(r => r.Path == path))
        {
            await Task.Delay(100, limit.Token);
        }

        return callbacks.Received.First(r => r.Path == path);
    }
}
