using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CodingAgent.Tests.Support;

/// <summary>A plain HTTP client of the public API, used the way a user would use curl.</summary>
public sealed class ApiClient : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private readonly HttpClient http;

    public ApiClient(Uri baseUrl, string? key)
    {
        http = new HttpClient { BaseAddress = new Uri(baseUrl, "api/v1/coding-agent/"), Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }

    public Task<HttpResponseMessage> PostAsync(string path, object body) => http.PostAsJsonAsync(path, body);

    public Task<HttpResponseMessage> GetAsync(string path) => http.GetAsync(path);

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => http.SendAsync(request);

    /// <summary>Opens the run's SSE stream (headers read, body left streaming), resuming after <paramref name="lastEventId"/> when given.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string runId, string? lastEventId = null, string query = "")
    {
        HttpRequestMessage request = new(HttpMethod.Get, $"runs/{runId}/stream{query}");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.IsSuccessStatusCode, $"GET stream answered {(int)response.StatusCode}");
        return response;
    }

    public async Task<JsonNode> CreateRunAsync(object body)
    {
        using HttpResponseMessage response = await PostAsync("runs", body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"POST /runs answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["run"]!;
    }

    public async Task<JsonNode> GetRunAsync(string runId, bool events = false)
    {
        using HttpResponseMessage response = await GetAsync($"runs/{runId}" + (events ? "?events=1" : string.Empty));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /runs/{runId} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>A settled turn (<c>GET …/turns/{n}</c> answering 200): the <c>turn</c> member of the answer.</summary>
    public async Task<JsonNode> GetSettledTurnAsync(string runId, int turn)
    {
        using HttpResponseMessage response = await GetAsync($"runs/{runId}/turns/{turn}");
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"GET /runs/{runId}/turns/{turn} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["turn"]!;
    }

    /// <summary>Polls the run until <paramref name="done"/> holds; the statuses seen on the way are returned in order.</summary>
    public async Task<(JsonNode Run, IReadOnlyList<string> Seen)> WaitForAsync(string runId, Func<JsonNode, bool> done, TimeSpan timeout)
    {
        using CancellationTokenSource limit = new(timeout);
        List<string> seen = [];
        JsonNode run;
        while (true)
        {
            run = (await GetRunAsync(runId))["run"]!;
            string status = (string)run["status"]!;
            if (seen.Count == 0 || seen[^1] != status)
            {
                seen.Add(status);
            }

            if (done(run))
            {
                return (run, seen);
            }

            if (limit.IsCancellationRequested)
            {
                throw new TimeoutException($"Run {runId} did not get there in {timeout}; last: {run.ToJsonString()}");
            }

            await Task.Delay(PollInterval);
        }
    }

    public static async Task<JsonNode> BodyAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new JsonException("Empty body.");

    public void Dispose() => http.Dispose();
}
