using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CodingAgent.Tests.Support;

namespace CodingAgent.Bench.Harness;

/// <summary>The public HTTP API as a benchmark client uses it: create, follow up, and watch the SSE stream.</summary>
public sealed class RunClient : IDisposable
{
    private readonly HttpClient http;

    public RunClient(Uri host, string key)
    {
        http = new HttpClient { BaseAddress = new Uri(host, "api/v1/coding-agent/"), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    public async Task<string> CreateAsync(object body)
    {
        using HttpResponseMessage response = await http.PostAsJsonAsync("runs", body);
        JsonNode answer = await ReadAsync(response, HttpStatusCode.Accepted);
        return (string)answer["run"]!["id"]!;
    }

    public async Task<int> PostMessageAsync(string runId, string prompt)
    {
        using HttpResponseMessage response = await http.PostAsJsonAsync($"runs/{runId}/messages", new { prompt });
        JsonNode answer = await ReadAsync(response, HttpStatusCode.Accepted);
        return (int)answer["turn"]!["number"]!;
    }

    public async Task EndAsync(string runId)
    {
        using HttpResponseMessage response = await http.PostAsJsonAsync($"runs/{runId}/messages", new { endSession = true });
        await ReadAsync(response, HttpStatusCode.Accepted);
    }

    public async Task<JsonNode> GetRunAsync(string runId, bool events = false)
    {
        using HttpResponseMessage response = await http.GetAsync($"runs/{runId}{(events ? "?events=1" : string.Empty)}");
        return await ReadAsync(response, HttpStatusCode.OK);
    }

    public async Task<JsonNode> ListAsync(string query)
    {
        using HttpResponseMessage response = await http.GetAsync($"runs?{query}");
        return await ReadAsync(response, HttpStatusCode.OK);
    }

    public async Task<long> LastSeqAsync(string runId)
    {
        JsonArray events = (await GetRunAsync(runId, events: true))["events"]!.AsArray();
        return events.Count == 0 ? 0 : (long)events[^1]!["seq"]!;
    }

    /// <summary>Opens the stream after <paramref name="after"/>; the caller reads it with <see cref="WaitForStatusAsync"/>.</summary>
    public async Task<RunStream> OpenStreamAsync(string runId, long after)
    {
        HttpResponseMessage response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"runs/{runId}/stream?after={after}"),
            HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new RunStream(response, await response.Content.ReadAsStreamAsync());
    }

    public void Dispose() => http.Dispose();

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        string text = await response.Content.ReadAsStringAsync();
        return response.StatusCode == expected
            ? JsonNode.Parse(text)!
            : throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
    }
}

/// <summary>An open SSE stream of one run.</summary>
public sealed class RunStream(HttpResponseMessage response, Stream body) : IAsyncDisposable
{
    private readonly IAsyncEnumerator<SseMessage> messages = SseReader.ReadAsync(body).GetAsyncEnumerator();

    /// <summary>Reads until a <c>run.status</c> event satisfies <paramref name="done"/>; a failed run is an error.</summary>
    public async Task<JsonNode> WaitForStatusAsync(Func<JsonNode, bool> done, Action<SseMessage>? seen = null)
    {
        while (await messages.MoveNextAsync())
        {
            SseMessage message = messages.Current;
            seen?.Invoke(message);
            if (message.Event != "run.status")
            {
                continue;
            }

            JsonNode status = JsonNode.Parse(message.Data!)!;
            if (done(status))
            {
                return status;
            }

            if ((string)status["status"]! is "failed" or "cancelled")
            {
                throw new InvalidOperationException($"The run ended {status["status"]} while waiting.");
            }
        }

        throw new InvalidOperationException("The stream ended while waiting.");
    }

    public async ValueTask DisposeAsync()
    {
        await messages.DisposeAsync();
        await body.DisposeAsync();
        response.Dispose();
    }
}
