using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CodingAgent.Configuration;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace CodingAgent.Sandboxes.E2B;

/// <summary>
/// E2B's control plane (docs/e2b.md §2): create (v2, falling back to v1), connect, set timeout, list by metadata, kill.
/// Retries live in the HTTP pipeline (<see cref="E2BHttpClients"/>); this class maps answers to sandbox states.
/// </summary>
public sealed class E2BApiClient(IHttpClientFactory httpClients, IOptions<SandboxOptions> options)
{
    private const int ListPageSize = 100;

    private E2BSandboxOptions Settings => options.Value.E2B;

    internal async Task<CreatedSandbox> CreateAsync(NewSandbox request, CancellationToken cancellationToken)
    {
        using HttpResponseMessage v2 = await SendAsync(HttpMethod.Post, "/v2/sandboxes", request with { Secure = null }, E2BCall.NotIdempotent, cancellationToken)
            .ConfigureAwait(false);
        if (v2.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed))
        {
            return await ReadAsync<CreatedSandbox>(v2, "create the sandbox", cancellationToken).ConfigureAwait(false);
        }

        using HttpResponseMessage v1 = await SendAsync(HttpMethod.Post, "/sandboxes", request with { Secure = true }, E2BCall.NotIdempotent, cancellationToken)
            .ConfigureAwait(false);
        return await ReadAsync<CreatedSandbox>(v1, "create the sandbox", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Attaches to a running sandbox (resuming a paused one) and returns its access tokens; null when it no longer exists.
    /// Connect only ever extends the sandbox's timeout, so the short window asked for here never shortens a run's session.
    /// </summary>
    internal async Task<CreatedSandbox?> ConnectAsync(string sandboxId, CancellationToken cancellationToken)
    {
        TimeoutBody body = new(Settings.ConnectTimeoutSeconds);
        string id = Uri.EscapeDataString(sandboxId);
        using HttpResponseMessage v2 = await SendAsync(HttpMethod.Post, $"/v2/sandboxes/{id}/connect", body, E2BCall.Idempotent, cancellationToken)
            .ConfigureAwait(false);
        if (v2.StatusCode == HttpStatusCode.MethodNotAllowed || (v2.StatusCode == HttpStatusCode.NotFound && !await IsE2BErrorAsync(v2, cancellationToken).ConfigureAwait(false)))
        {
            using HttpResponseMessage v1 = await SendAsync(HttpMethod.Post, $"/sandboxes/{id}/connect", body, E2BCall.Idempotent, cancellationToken)
                .ConfigureAwait(false);
            return v1.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<CreatedSandbox>(v1, "connect to the sandbox", cancellationToken).ConfigureAwait(false);
        }

        return v2.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<CreatedSandbox>(v2, "connect to the sandbox", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets the sandbox to end <paramref name="timeout"/> from now and returns when it will really end: E2B quietly clamps
    /// the end to the plan's longest life counted from the sandbox's start, and refuses once that is past.
    /// </summary>
    public async Task<DateTimeOffset> SetTimeoutAsync(string sandboxId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        int seconds = (int)Math.Clamp(Math.Ceiling(timeout.TotalSeconds), 1, int.MaxValue);
        string id = Uri.EscapeDataString(sandboxId);
        using (HttpResponseMessage response = await SendAsync(HttpMethod.Post, $"/sandboxes/{id}/timeout", new TimeoutBody(seconds), E2BCall.Idempotent, cancellationToken)
            .ConfigureAwait(false))
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new SandboxGoneException($"The sandbox {sandboxId} no longer exists.");
            }

            // "Max instance length exceeded": the sandbox keeps the end it has, which is read below.
            if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                await EnsureSuccessAsync(response, "extend the sandbox's timeout", cancellationToken).ConfigureAwait(false);
            }
        }

        using HttpResponseMessage detail = await SendAsync(HttpMethod.Get, $"/sandboxes/{id}", null, E2BCall.Idempotent, cancellationToken).ConfigureAwait(false);
        if (detail.StatusCode == HttpStatusCode.NotFound)
        {
            throw new SandboxGoneException($"The sandbox {sandboxId} no longer exists.");
        }

        ListedSandbox sandbox = await ReadAsync<ListedSandbox>(detail, "describe the sandbox", cancellationToken).ConfigureAwait(false);
        return sandbox.EndAt ?? throw new SandboxException($"E2B did not say when sandbox {sandboxId} ends.");
    }

    /// <summary>Kills the sandbox; false when it was already gone. A sandbox already being killed counts as killed.</summary>
    public async Task<bool> KillAsync(string sandboxId, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(
            HttpMethod.Delete, $"/sandboxes/{Uri.EscapeDataString(sandboxId)}", null, E2BCall.Idempotent, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return true;
        }

        await EnsureSuccessAsync(response, "kill the sandbox", cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Running and paused sandboxes whose metadata holds every pair, page by page (docs/e2b.md §2.3).</summary>
    internal async IAsyncEnumerable<ListedSandbox> ListAsync(
        IReadOnlyDictionary<string, string> metadata, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The server decodes the parameter, then each key and value once more: encode twice inside, once outside.
        string filter = string.Join('&', metadata.Select(p => Uri.EscapeDataString(Uri.EscapeDataString(p.Key)) + "=" + Uri.EscapeDataString(Uri.EscapeDataString(p.Value))));
        string? next = null;
        do
        {
            string path = $"/v2/sandboxes?metadata={Uri.EscapeDataString(filter)}&state=running,paused&limit={ListPageSize.ToString(CultureInfo.InvariantCulture)}"
                + (next is null ? string.Empty : "&nextToken=" + Uri.EscapeDataString(next));
            using HttpResponseMessage response = await SendAsync(HttpMethod.Get, path, null, E2BCall.Idempotent, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound && next is null)
            {
                // No v2 list: the deprecated v1 list (running sandboxes only, one page).
                using HttpResponseMessage v1 = await SendAsync(HttpMethod.Get, $"/sandboxes?metadata={Uri.EscapeDataString(filter)}", null, E2BCall.Idempotent, cancellationToken)
                    .ConfigureAwait(false);
                foreach (ListedSandbox sandbox in await ReadAsync<List<ListedSandbox>>(v1, "list sandboxes", cancellationToken).ConfigureAwait(false))
                {
                    yield return sandbox;
                }

                yield break;
            }

            List<ListedSandbox> page = await ReadAsync<List<ListedSandbox>>(response, "list sandboxes", cancellationToken).ConfigureAwait(false);
            foreach (ListedSandbox sandbox in page)
            {
                yield return sandbox;
            }

            next = response.Headers.TryGetValues("X-Next-Token", out IEnumerable<string>? values) ? values.FirstOrDefault() : null;
        }
        while (!string.IsNullOrEmpty(next));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, E2BCall call, CancellationToken cancellationToken)
    {
        using HttpRequestMessage request = new(method, new Uri(Settings.ApiUri, path));
        request.Headers.Add("X-API-Key", Settings.ApiKey);
        request.Headers.Accept.ParseAdd("application/json");
        request.Options.Set(E2BHttpClients.CallKind, call);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: E2BJson.Options);
        }

        HttpClient client = httpClients.CreateClient(E2BHttpClients.Api);
        string route = $"{method} {request.RequestUri!.AbsolutePath}";
        try
        {
            return await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new SandboxException($"E2B's API at {Settings.ApiUri.Host} could not be reached for {route}: {ex.Message}", ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new SandboxException(
                string.Create(CultureInfo.InvariantCulture, $"E2B's API at {Settings.ApiUri.Host} did not answer {route} within {ex.Timeout.TotalSeconds:0.#} s."), ex);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string action, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, action, cancellationToken).ConfigureAwait(false);
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(E2BJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw new SandboxException($"E2B answered an empty body when asked to {action}.");
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or JsonException)
        {
            throw new SandboxException($"E2B's answer when asked to {action} could not be read: {ex.Message}", ex);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string action, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        ApiError? error = await E2BErrors.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new SandboxInTransitionException(action, error?.Message);
        }

        throw new E2BApiException(response.StatusCode, E2BErrors.Describe(response, error, action), error?.ErrorCode);
    }

    // A v2 route the server does not know answers a bare 404; an unknown sandbox answers E2B's error document.
    private static async Task<bool> IsE2BErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await E2BErrors.ReadAsync(response, cancellationToken).ConfigureAwait(false) is { Message: not null };
}
