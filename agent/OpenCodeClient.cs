using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using CodingAgent.Sandboxes;

namespace CodingAgent.Agent;

/// <summary>The few routes of OpenCode's v1 HTTP API the control plane uses (docs/opencode.md §3). Every request carries Basic auth.</summary>
public sealed class OpenCodeClient
{
    public const int DefaultMaxEventFrameBytes = 16 * 1024 * 1024;
    private static readonly TimeSpan ShortRequest = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstPortPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestPortPause = TimeSpan.FromSeconds(2);
    private readonly HttpClient http;
    private readonly Uri baseUrl;
    private readonly IReadOnlyDictionary<string, string> headers;
    private readonly AuthenticationHeaderValue authorization;
    private readonly int maxEventFrameBytes;

    /// <param name="maxEventFrameBytes">The largest event frame taken from <c>/event</c>; a larger one fails the turn.</param>
    public OpenCodeClient(HttpClient http, PortEndpoint endpoint, string password, int maxEventFrameBytes = DefaultMaxEventFrameBytes)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        this.http = http;
        this.maxEventFrameBytes = maxEventFrameBytes;
        baseUrl = endpoint.BaseUrl;
        headers = endpoint.RequiredHeaders;
        authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("opencode:" + password)));
    }

    public async Task<bool> IsHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await CheckHealthAsync(timeout, cancellationToken).ConfigureAwait(false) == OpenCodeHealth.Healthy;

    /// <summary>
    /// Checks health until the port is reachable: right after <c>opencode serve</c> starts, a sandbox's port proxy may
    /// still answer 502 "port is not open" (E2B's envd looks for new listeners about once a second, docs/e2b.md §7), so that
    /// answer is asked again with back-off until <paramref name="deadline"/>. Any other answer is final.
    /// </summary>
    public async Task<OpenCodeHealth> WaitUntilHealthyAsync(TimeSpan deadline, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        long started = time.GetTimestamp();
        TimeSpan pause = FirstPortPause;
        while (true)
        {
            OpenCodeHealth health = await CheckHealthAsync(HealthCheckTimeout, cancellationToken).ConfigureAwait(false);
            TimeSpan left = deadline - time.GetElapsedTime(started);
            if (health != OpenCodeHealth.PortNotForwarded || left <= TimeSpan.Zero)
            {
                return health;
            }

            await Task.Delay(pause < left ? pause : left, time, cancellationToken).ConfigureAwait(false);
            pause = pause * 2 < LongestPortPause ? pause * 2 : LongestPortPause;
        }
    }

    private async Task<OpenCodeHealth> CheckHealthAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            using HttpResponseMessage response = await SendAsync(HttpMethod.Get, "global/health", null, limit.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.BadGateway)
            {
                return await SaysPortNotOpenAsync(response, limit.Token).ConfigureAwait(false) ? OpenCodeHealth.PortNotForwarded : OpenCodeHealth.NotHealthy;
            }

            if (!response.IsSuccessStatusCode)
            {
                return OpenCodeHealth.NotHealthy;
            }

            using JsonDocument body = await ReadJsonAsync(response, limit.Token).ConfigureAwait(false);
            return body.RootElement.TryGetProperty("healthy", out JsonElement healthy) && healthy.ValueKind == JsonValueKind.True
                ? OpenCodeHealth.Healthy
                : OpenCodeHealth.NotHealthy;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            return OpenCodeHealth.NotHealthy;
        }
    }

    // The proxy's own answer (docs/e2b.md §4.2): {"sandboxId":"…","message":"The sandbox is running but port is not open","port":…,"code":502}.
    private static async Task<bool> SaysPortNotOpenAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using JsonDocument body = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        return body.RootElement.ValueKind == JsonValueKind.Object
            && body.RootElement.TryGetProperty("message", out JsonElement message)
            && message.ValueKind == JsonValueKind.String
            && message.GetString()!.Contains("port is not open", StringComparison.OrdinalIgnoreCase);
    }

    public async Task<string> CreateSessionAsync(string title, CancellationToken cancellationToken)
    {
        using JsonDocument session = await SendJsonAsync(HttpMethod.Post, "session", new { title }, cancellationToken).ConfigureAwait(false);
        return session.RootElement.GetProperty("id").GetString()!;
    }

    public async Task<bool> SessionExistsAsync(string sessionId, CancellationToken cancellationToken)
    {
        using CancellationTokenSource limit = Limit(cancellationToken);
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, $"session/{sessionId}", null, limit.Token).ConfigureAwait(false);
        return response.IsSuccessStatusCode;
    }

    /// <summary>
    /// Posts a prompt without waiting for the turn. A 204 does not mean the turn will run: a prompt that joins a run
    /// which then fails or is aborted is stored but never answered (architecture.md, "Posting a prompt").
    /// Re-posting the same message id is an upsert; the fixed part id keeps the text from being added twice.
    /// </summary>
    public async Task PromptAsync(string sessionId, string messageId, string text, CancellationToken cancellationToken)
    {
        var body = new { messageID = messageId, parts = new[] { new { id = OpenCodeIds.PromptPartId(messageId), type = "text", text } } };
        using CancellationTokenSource limit = Limit(cancellationToken);
        using HttpResponseMessage response = await SendAsync(HttpMethod.Post, $"session/{sessionId}/prompt_async", body, limit.Token).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "post the prompt", limit.Token).ConfigureAwait(false);
    }

    public async Task AbortAsync(string sessionId, CancellationToken cancellationToken)
    {
        using CancellationTokenSource limit = Limit(cancellationToken);
        using HttpResponseMessage response = await SendAsync(HttpMethod.Post, $"session/{sessionId}/abort", null, limit.Token).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "abort the turn", limit.Token).ConfigureAwait(false);
    }

    /// <summary>True while OpenCode works on the session (idle sessions are absent from <c>/session/status</c>).</summary>
    public async Task<bool> IsBusyAsync(string sessionId, CancellationToken cancellationToken)
    {
        using JsonDocument status = await SendJsonAsync(HttpMethod.Get, "session/status", null, cancellationToken).ConfigureAwait(false);
        return status.RootElement.TryGetProperty(sessionId, out JsonElement entry)
            && entry.TryGetProperty("type", out JsonElement type)
            && type.GetString() != "idle";
    }

    public async Task<JsonDocument> GetMessagesAsync(string sessionId, CancellationToken cancellationToken) =>
        await SendJsonAsync(HttpMethod.Get, $"session/{sessionId}/message", null, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The messages from the user message <paramref name="userMessageId"/> on (and some before), without the whole session's
    /// history: the newest messages in the smallest of <see cref="RecentWindows"/> that reaches back to the prompt
    /// (<c>?limit=</c> pages from the newest, oldest first), or the full list when the turn started further back than the
    /// largest (a turn of many steps) or has no stored prompt yet.
    /// </summary>
    public async Task<JsonDocument> GetTurnMessagesAsync(string sessionId, string userMessageId, CancellationToken cancellationToken)
    {
        foreach (int window in RecentWindows)
        {
            JsonDocument recent = await SendJsonAsync(HttpMethod.Get, $"session/{sessionId}/message?limit={window}", null, cancellationToken).ConfigureAwait(false);
            if (recent.RootElement.GetArrayLength() < window || Contains(recent.RootElement, userMessageId))
            {
                return recent;
            }

            recent.Dispose();
        }

        return await GetMessagesAsync(sessionId, cancellationToken).ConfigureAwait(false);
    }

    // OpenCode serialises every message it returns with all its parts, and that work competes with the turn for its one
    // thread: most turns fit the first window, long ones the second, and only longer ones cost the whole list.
    private static readonly int[] RecentWindows = [8, 40];

    private static bool Contains(JsonElement messages, string messageId) =>
        messages.EnumerateArray().Any(m => m.GetProperty("info").GetProperty("id").GetString() == messageId);

    /// <summary>OpenCode's event stream (<c>GET /event</c>): one JSON object per SSE <c>data:</c> frame. Ends when the server closes it.</summary>
    public async IAsyncEnumerable<JsonElement> EventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using HttpRequestMessage request = Request(HttpMethod.Get, "event", null);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        await EnsureSuccessAsync(response, "follow events", cancellationToken).ConfigureAwait(false);
        await using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        StringBuilder data = new();
        await foreach (string line in BoundedLines.ReadAsync(stream, maxEventFrameBytes, cancellationToken).ConfigureAwait(false))
        {
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                if (data.Length + line.Length > maxEventFrameBytes)
                {
                    throw new AgentProtocolException($"OpenCode sent an event frame over {maxEventFrameBytes} bytes (Agent:MaxEventFrameBytes).");
                }

                data.Append(line.AsSpan(5).TrimStart(' '));
            }
            else if (line.Length == 0 && data.Length > 0)
            {
                using JsonDocument frame = JsonDocument.Parse(data.ToString());
                data.Clear();
                yield return frame.RootElement.Clone();
            }
        }
    }

    private async Task<JsonDocument> SendJsonAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using CancellationTokenSource limit = Limit(cancellationToken);
        using HttpResponseMessage response = await SendAsync(method, path, body, limit.Token).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"{method} /{path}", limit.Token).ConfigureAwait(false);
        return await ReadJsonAsync(response, limit.Token).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using HttpRequestMessage request = Request(method, path, body);
        return await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private HttpRequestMessage Request(HttpMethod method, string path, object? body)
    {
        HttpRequestMessage request = new(method, new Uri(baseUrl, path));
        request.Headers.Authorization = authorization;
        foreach ((string name, string value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return request;
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw new AgentException(
            $"OpenCode refused to {what}: HTTP {(int)response.StatusCode} {detail[..Math.Min(detail.Length, 300)]}",
            response.StatusCode == HttpStatusCode.NotFound);
    }

    private static CancellationTokenSource Limit(CancellationToken cancellationToken)
    {
        CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(ShortRequest);
        return limit;
    }
}

public enum OpenCodeHealth
{
    Healthy,

    /// <summary>OpenCode answered, but not healthy (or not at all: refused, timed out, wrong password).</summary>
    NotHealthy,

    /// <summary>The sandbox's port proxy does not forward OpenCode's port yet (502 "port is not open").</summary>
    PortNotForwarded,
}
