using System.Net;
using System.Text.Json.Nodes;
using CodingAgent.Api.Streaming;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// SSE limits (the trust boundary, item 7): streams per key, a longest stream after which the client resumes gap-free,
/// and a revoked key's stream ending. Runs on the benchmark sandbox provider: only the stream is under test here.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class StreamLimitTests(TestEnvironment environment) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string sandboxRoot = Directory.CreateTempSubdirectory("stream-limit-sandboxes-").FullName;
    private SelfHostProcess host = null!;

    public async Task InitializeAsync()
    {
        Dictionary<string, string> settings = environment.Environment();
        settings["CodingAgent__Sandbox__Provider"] = "benchmark";
        settings["CodingAgent__Sandbox__Local__Root"] = sandboxRoot;
        settings["CodingAgent__Stream__MaxStreamsPerKey"] = "2";
        settings["CodingAgent__Stream__MaxDurationSeconds"] = "8";
        settings["CodingAgent__Stream__PollIntervalMilliseconds"] = "250";
        host = await SelfHostProcess.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        Directory.Delete(sandboxRoot, recursive: true);
    }

    [Fact]
    public async Task Streams_PerKeyCapDurationAndRevocation_EndCleanlyAndResumeWithoutGaps()
    {
        string key = await environment.CreateKeyAsync("streamcap");
        await environment.AllowRepositoryAsync("streamcap", "octo/*");
        using ApiClient api = new(host.BaseUrl, key);
        string runId = (string)(await api.CreateRunAsync(new { repository = "octo/stream", prompt = "say hi", modelId = "bench/model" }))["id"]!;
        await api.WaitForAsync(runId, r => (string)r["status"]! == "idle", Deadline);

        // Two streams of an idle run stay open; a third from the same key is refused.
        using HttpResponseMessage first = await api.OpenStreamAsync(runId);
        using HttpResponseMessage second = await api.OpenStreamAsync(runId);
        using (HttpResponseMessage third = await api.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"runs/{runId}/stream")))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
            Assert.Equal("too_many_streams", (string)(await ApiClient.BodyAsync(third))["code"]!);
        }

        // Both end at the duration limit with the comment that says so; a follow-up's events arrive on the resumed stream.
        List<SseMessage> received = await ReadToEndAsync(first);
        Assert.Equal(RunEventStream.DurationEnded, received[^1].Comment);
        await ReadToEndAsync(second);
        string lastId = received.Last(m => m.Id is not null).Id!;
        using (HttpResponseMessage followUp = await api.PostAsync($"runs/{runId}/messages", new { prompt = "say again" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, followUp.StatusCode);
        }

        using (HttpResponseMessage resumed = await api.OpenStreamAsync(runId, lastId, "?untilIdle=1"))
        {
            received.AddRange(await ReadToEndAsync(resumed));
        }

        JsonArray stored = (await api.GetRunAsync(runId, events: true))["events"]!.AsArray();
        Assert.Equal(stored.Select(e => (long)e!["seq"]!), received.Where(m => m.Id is not null).Select(m => long.Parse(m.Id!)));

        // ?events=1 pages: the pages joined are the whole log.
        List<long> paged = [];
        long? after = 0;
        while (after is { } from)
        {
            using HttpResponseMessage page = await api.GetAsync($"runs/{runId}?events=1&eventsLimit=3&eventsAfter={from}");
            JsonNode body = await ApiClient.BodyAsync(page);
            JsonArray events = body["events"]!.AsArray();
            Assert.InRange(events.Count, 1, 3);
            paged.AddRange(events.Select(e => (long)e!["seq"]!));
            after = (long?)body["eventsNextAfter"];
        }

        Assert.Equal(stored.Select(e => (long)e!["seq"]!), paged);

        // A revoked key's stream ends (with its own comment) instead of running to the duration limit.
        string other = await environment.CreateKeyAsync("streamcap");
        using ApiClient otherApi = new(host.BaseUrl, other);
        using HttpResponseMessage doomed = await otherApi.OpenStreamAsync(runId);
        Task<List<SseMessage>> reading = ReadToEndAsync(doomed);
        string keyId = other.Split('_')[1];
        await environment.KeysAsync("revoke", "--key-id", keyId);
        List<SseMessage> untilRevoked = await reading;
        Assert.Equal(RunEventStream.KeyRevoked, untilRevoked[^1].Comment);
    }

    private static async Task<List<SseMessage>> ReadToEndAsync(HttpResponseMessage response)
    {
        using CancellationTokenSource limit = new(Deadline);
        List<SseMessage> messages = [];
        await foreach (SseMessage message in SseReader.ReadAsync(await response.Content.ReadAsStreamAsync(limit.Token), limit.Token))
        {
            messages.Add(message);
        }

        return messages;
    }
}
