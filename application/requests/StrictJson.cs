using System.Text.Json;
using System.Text.Json.Serialization;
using CodingAgent.Json;

namespace CodingAgent.Application.Requests;

/// <summary>
/// How every front door reads a command's JSON: well-formed, right types, no unknown members. A failure names the member
/// and says what is wrong in the caller's terms (never .NET type names).
/// </summary>
public static class StrictJson
{
    private static readonly JsonSerializerOptions Strict = new(JsonDefaults.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // The web defaults read "900" as 900; the contract says integer, so a string is a wrong type.
        NumberHandling = JsonNumberHandling.Strict,
    };

    public static (T? Value, string Member, string Error) Parse<T>(ReadOnlySpan<byte> body)
        where T : class
    {
        try
        {
            T? value = JsonSerializer.Deserialize<T>(body, Strict);
            return value is null ? (null, "$", "The body must be a JSON object.") : (value, string.Empty, string.Empty);
        }
        catch (JsonException ex)
        {
            string member = string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
            return (null, member, Explain(ex, member));
        }
    }

    private static string Explain(JsonException ex, string member) => ex.Message switch
    {
        var m when m.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) => "Not a member of this body.",
        var m when m.Contains("could not be converted", StringComparison.Ordinal) && member == "$" => "The body must be a JSON object.",
        var m when m.Contains("could not be converted", StringComparison.Ordinal) => "Wrong type for this member (see the API's OpenAPI document).",
        var m when m.Contains("missing required properties", StringComparison.Ordinal) => "Required members are missing.",
        _ => "The body is not well-formed JSON.",
    };
}
