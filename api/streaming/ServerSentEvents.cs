using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace CodingAgent.Api.Streaming;

/// <summary>Writes the SSE wire format (one event = <c>id</c>, <c>event</c>, one-line <c>data</c>, blank line).</summary>
internal static class ServerSentEvents
{
    public static Task WriteEventAsync(HttpResponse response, long id, string name, string json, CancellationToken cancellationToken) =>
        WriteAsync(response, $"id: {id.ToString(CultureInfo.InvariantCulture)}\nevent: {name}\ndata: {json}\n\n", cancellationToken);

    public static Task WriteCommentAsync(HttpResponse response, string comment, CancellationToken cancellationToken) =>
        WriteAsync(response, $": {comment}\n\n", cancellationToken);

    public static Task WriteRetryAsync(HttpResponse response, int milliseconds, CancellationToken cancellationToken) =>
        WriteAsync(response, $"retry: {milliseconds.ToString(CultureInfo.InvariantCulture)}\n\n", cancellationToken);

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken) =>
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
}
