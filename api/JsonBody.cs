using CodingAgent.Application.Requests;
using Microsoft.AspNetCore.Http;

namespace CodingAgent.Api;

/// <summary>
/// Reads a request body strictly: JSON content type (415), at most the configured size (413), well-formed, right types
/// and no unknown members (400). The raw bytes are kept because an <c>Idempotency-Key</c> is bound to them.
/// </summary>
public static class JsonBody
{
    /// <param name="optional">An empty body (no content at all) is allowed and read as <c>{}</c>.</param>
    public static async Task<(byte[]? Body, IResult? Problem)> ReadAsync(HttpContext context, int maxBytes, bool optional = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        HttpRequest request = context.Request;
        if (request.ContentLength > maxBytes)
        {
            return (null, Problems.TooLarge(context, maxBytes));
        }

        bool empty = request.ContentLength == 0 || (request.ContentLength is null && !request.Headers.ContainsKey("Transfer-Encoding"));
        if (optional && empty)
        {
            return ("{}"u8.ToArray(), null);
        }

        if (!request.HasJsonContentType())
        {
            return (null, Problems.UnsupportedMediaType(context));
        }

        using MemoryStream buffer = new();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, Problems.TooLarge(context, maxBytes));
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), null);
    }

    public static (T? Value, IResult? Problem) Parse<T>(HttpContext context, byte[] body)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        (T? value, string member, string error) = StrictJson.Parse<T>(body);
        return value is not null ? (value, null) : (null, Problems.InvalidRequest(context, new Dictionary<string, string[]> { [member] = [error] }));
    }
}
