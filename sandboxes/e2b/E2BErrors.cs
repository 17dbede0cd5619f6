using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CodingAgent.Sandboxes.E2B;

/// <summary>Turns E2B's refusals into messages a run's error can show as they are.</summary>
internal static class E2BErrors
{
    public static async Task<ApiError?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            return await response.Content.ReadFromJsonAsync<ApiError>(E2BJson.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null; // not JSON at all
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return null; // the body was cut: the status still says what happened
        }
    }

    public static string Describe(HttpResponseMessage response, ApiError? error, string action)
    {
        int status = (int)response.StatusCode;
        string detail = error?.Message is { Length: > 0 } message ? message : response.ReasonPhrase ?? "no detail";
        string hint = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => " Check CodingAgent__Sandbox__E2B__ApiKey.",
            HttpStatusCode.TooManyRequests => RetryHint(response),
            _ => string.Empty,
        };
        return string.Create(CultureInfo.InvariantCulture, $"E2B refused to {action} ({status}{(error?.ErrorCode is { } code ? " " + code : string.Empty)}): {detail}.{hint}");
    }

    private static string RetryHint(HttpResponseMessage response) => E2BHttpClients.RetryAfter(response) switch
    {
        { } wait when wait > E2BHttpClients.LongestRetryAfter => string.Create(CultureInfo.InvariantCulture,
            $" Rate or concurrency limit reached; E2B asked to retry after {wait.TotalSeconds:0} s, longer than one call waits ({E2BHttpClients.LongestRetryAfter.TotalSeconds:0} s), so this step fails now and is retried later."),
        { } wait => string.Create(CultureInfo.InvariantCulture, $" Rate or concurrency limit reached; E2B asked to retry after {wait.TotalSeconds:0} s."),
        null => " Rate or concurrency limit reached.",
    };
}
