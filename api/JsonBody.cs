using System.Text.Json;
using System.Text.Json.Serialization;
using CodingAgent.Storage;
using Microsoft.AspNetCore.Http;

namespace CodingAgent.Api;

/// <summary>Reads a JSON request body strictly: JSON content type, well-formed, right types, no unknown members.</summary>
public static class JsonBody
{
    private static readonly JsonSerializerOptions Strict = new(JsonDefaults.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext context)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.HasJsonContentType())
        {
            return (null, Problems.UnsupportedMediaType(context));
        }

        try
        {
            T? value = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, Strict, context.RequestAborted).ConfigureAwait(false);
            return value is null
                ? (null, Problems.InvalidRequest(context, new Dictionary<string, string[]> { ["$"] = ["The body must be a JSON object."] }))
                : (value, null);
        }
        catch (JsonException ex)
        {
            string member = string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
            string message = ex.Message.Split(" Path:")[0];
            return (null, Problems.InvalidRequest(context, new Dictionary<string, string[]> { [member] = [message] }));
        }
    }
}
