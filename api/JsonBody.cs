using System.Text.Json;
using System.Text.Json.Serialization;
using CodingAgent.Json;
using Microsoft.AspNetCore.Http;

namespace CodingAgent.Api;

/// <summary>
/// Reads a request body strictly: JSON content type (415), at most the configured size (413), well-formed, right types
/// and no unknown members (400). The raw bytes are kept because an <c>Idempotency-Key</c> is bound to them.
/// </summary>
public static class JsonBody
{
    private static readonly JsonSerializerOptions Strict = new(JsonDefaults.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // The web defaults read "900" as 900; the contract says integer, so a string is a wrong type.
        NumberHandling = JsonNumberHandling.Strict,
    };

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
        try
        {
            T? value = JsonSerializer.Deserialize<T>(body, Strict);
            return value is null
                ? (null, Problems.InvalidRequest(context, new Dictionary<string, string[]> { ["$"] = ["The body must be a JSON object."] }))
                : (value, null);
        }
        catch (JsonException ex)
        {
            string member = string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
            return (null, Problems.InvalidRequest(context, new Dictionary<string, string[]> { [member] = [Explain(ex, member)] }));
        }
    }

    // The serializer's own messages name .NET types; a client needs to know what is wrong with its JSON.
    private static string Explain(JsonException ex, string member) => ex.Message switch
    {
        var m when m.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) => "Not a member of this body.",
        var m when m.Contains("could not be converted", StringComparison.Ordinal) && member == "$" => "The body must be a JSON object.",
        var m when m.Contains("could not be converted", StringComparison.Ordinal) => "Wrong type for this member (see the API's OpenAPI document).",
        var m when m.Contains("missing required properties", StringComparison.Ordinal) => "Required members are missing.",
        _ => "The body is not well-formed JSON.",
    };
}
