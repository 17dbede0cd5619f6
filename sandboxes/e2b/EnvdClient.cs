using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Polly.Timeout;

namespace CodingAgent.Sandboxes.E2B;

/// <summary>
/// envd, the agent inside an E2B sandbox (docs/e2b.md §6): process RPCs in Connect-JSON and file content over plain HTTP.
/// </summary>
internal sealed class EnvdClient(IHttpClientFactory httpClients, SandboxAddress address, string? accessToken)
{
    private const string ProcessService = "/process.Process/";

    /// <summary>
    /// Starts a process and returns its event stream, open. <paramref name="lifetime"/> becomes <c>Connect-Timeout-Ms</c>,
    /// which envd enforces by killing the process; null sends no header, the only way to start a process that must
    /// outlive every call (never 0, an already-expired deadline).
    /// </summary>
    public async Task<ProcessStream> StartAsync(StartRequest start, TimeSpan? lifetime, CancellationToken cancellationToken)
    {
        HttpRequestMessage request = Request(HttpMethod.Post, ProcessService + "Start");
        request.Content = ConnectFrames.Envelope(JsonSerializer.SerializeToUtf8Bytes(start, E2BJson.Options));
        request.Headers.Add("Connect-Protocol-Version", "1");
        request.Headers.Add("Keepalive-Ping-Interval", "50");
        if (lifetime is { } limit)
        {
            request.Headers.Add("Connect-Timeout-Ms", Math.Max(1, (long)limit.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        }

        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(E2BHttpClients.EnvdStream)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            request.Dispose();
            throw Unreachable(ex);
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            using (response)
            using (request)
            {
                throw await FailureAsync(response, "start a process", cancellationToken).ConfigureAwait(false);
            }
        }

        return new ProcessStream(request, response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
    }

    public async Task<IReadOnlyList<ListedProcess>> ListProcessesAsync(CancellationToken cancellationToken)
    {
        ListResponse list = await UnaryAsync<ListResponse>("List", new { }, "list processes", cancellationToken).ConfigureAwait(false);
        return list.Processes ?? [];
    }

    /// <summary>False when no such process runs.</summary>
    public async Task<bool> SignalAsync(uint pid, ProcessSignal signal, CancellationToken cancellationToken)
    {
        try
        {
            await UnaryAsync<JsonElement>("SendSignal", new SendSignalRequest(new ProcessSelector(pid), EnvdSignals.Of(signal)), "signal a process", cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (ConnectException ex) when (ex.Code == ConnectCodes.NotFound)
        {
            return false;
        }
    }

    public async Task<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        using HttpRequestMessage request = Request(HttpMethod.Get, "/files?path=" + Uri.EscapeDataString(path));
        using HttpResponseMessage response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"No file {path} in the sandbox.", path);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, $"read {path}", cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw new SandboxException($"Reading {path} from sandbox {address.SandboxId} was cut: {ex.Message}", ex);
        }
    }

    /// <summary>Writes (or overwrites) a file, creating its folders.</summary>
    public async Task WriteFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        using HttpRequestMessage request = Request(HttpMethod.Post, "/files?path=" + Uri.EscapeDataString(path));
        request.Content = new ReadOnlyMemoryContent(content);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using HttpResponseMessage response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, $"write {path}", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// envd answers <c>GET /health</c> with 204 while the sandbox lives; only the proxy's "sandbox was not found" 502 means
    /// it is gone. A 429, a 503 or a network failure is <see cref="EnvdHealth.Unreachable"/>: it says nothing either way.
    /// </summary>
    public async Task<EnvdHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        using HttpRequestMessage request = Request(HttpMethod.Get, "/health");
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (SandboxException)
        {
            return EnvdHealth.Unreachable;
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                return EnvdHealth.Healthy;
            }

            return await FailureAsync(response, "check its health", cancellationToken).ConfigureAwait(false) is SandboxGoneException
                ? EnvdHealth.Gone
                : EnvdHealth.Unreachable;
        }
    }

    private async Task<T> UnaryAsync<T>(string method, object message, string action, CancellationToken cancellationToken)
    {
        using HttpRequestMessage request = Request(HttpMethod.Post, ProcessService + method);
        request.Content = JsonContent.Create(message, message.GetType(), options: E2BJson.Options);
        request.Headers.Add("Connect-Protocol-Version", "1");
        using HttpResponseMessage response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, action, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await response.Content.ReadFromJsonAsync<T>(E2BJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw new ConnectException(ConnectCodes.Unknown, $"envd answered an empty body when asked to {action}");
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or JsonException)
        {
            throw new SandboxException($"envd's answer in sandbox {address.SandboxId} when asked to {action} could not be read: {ex.Message}", ex);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await httpClients.CreateClient(E2BHttpClients.Envd).SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new SandboxException(string.Create(CultureInfo.InvariantCulture,
                $"envd in sandbox {address.SandboxId} did not answer {request.Method} {request.RequestUri!.AbsolutePath} within {ex.Timeout.TotalSeconds:0.#} s."), ex);
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string pathAndQuery)
    {
        PortEndpoint envd = address.Port(SandboxAddress.EnvdPort);
        HttpRequestMessage request = new(method, new Uri(envd.BaseUrl, pathAndQuery));
        foreach ((string name, string value) in envd.RequiredHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (accessToken is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Access-Token", accessToken);
        }

        request.Headers.Accept.ParseAdd("application/json");
        return request;
    }

    private SandboxException Unreachable(HttpRequestException ex) =>
        new($"The sandbox {address.SandboxId} could not be reached: {ex.Message}", ex);

    /// <summary>
    /// A refused envd call: the proxy's "not found" 502 means the sandbox is gone; otherwise a Connect error body
    /// (<c>{"code":"not_found",…}</c>) or the proxy's own (<c>{"code":502,…}</c>).
    /// </summary>
    private async Task<SandboxException> FailureAsync(HttpResponseMessage response, string action, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            body = string.Empty; // the body was cut: the status says enough
        }

        string? code = null;
        string? message = null;
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            code = root.TryGetProperty("code", out JsonElement c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            message = root.TryGetProperty("message", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        }
        catch (JsonException)
        {
            // not JSON: the status says enough
        }

        if (ProxyAnswers.SaysSandboxNotFound(response.StatusCode, message))
        {
            return new SandboxGoneException($"The sandbox {address.SandboxId} no longer exists (its proxy answered: {message}).");
        }

        return new ConnectException(code ?? CodeOf(response.StatusCode), $"could not {action} ({(int)response.StatusCode}): {message ?? response.ReasonPhrase}");
    }

    // How a Connect client reads a status that carries no Connect error (docs/e2b.md §4.2).
    private static string CodeOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => ConnectCodes.Unauthenticated,
        HttpStatusCode.NotFound => "unimplemented",
        HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => ConnectCodes.Unavailable,
        _ => ConnectCodes.Unknown,
    };
}
