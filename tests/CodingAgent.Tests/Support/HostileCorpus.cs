using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodingAgent.Tests.Support;

/// <summary>
/// One request of <c>Data/hostile-inputs.json</c>. <see cref="Path"/> is relative to <c>/api/v1/coding-agent/</c> unless it
/// starts with <c>/</c>; <see cref="Headers"/> holds <c>auth</c> (a symbolic key the test fixture maps to a real header) and
/// literal headers; <see cref="Body"/> is a raw string or a generator.
/// </summary>
public sealed record HostileCase
{
    public required string Name { get; init; }

    public required string Category { get; init; }

    public required string Method { get; init; }

    public required string Path { get; init; }

    public Dictionary<string, JsonElement> Headers { get; init; } = [];

    public string? ContentType { get; init; }

    public JsonElement Body { get; init; }

    /// <summary>Send the body with <c>Transfer-Encoding: chunked</c> instead of a <c>Content-Length</c>.</summary>
    public bool Chunked { get; init; }

    public required int ExpectStatus { get; init; }

    public required string ExpectCode { get; init; }

    /// <summary>
    /// Why the web server itself refuses this request before any application code runs (an invalid request target, a
    /// request line or header over Kestrel's limits): its answer is a bare status line, not a problem document. The status
    /// and the unchanged storage are still checked.
    /// </summary>
    public string? RejectedByServer { get; init; }
}

/// <summary>Generated bodies: <c>prefix</c> + <c>$repeat</c> × <c>count</c> + <c>suffix</c>, or the raw bytes of <c>$base64</c>.</summary>
public sealed record GeneratedBody
{
    [JsonPropertyName("$repeat")]
    public string? Repeat { get; init; }

    public int Count { get; init; }

    public string Prefix { get; init; } = string.Empty;

    public string Suffix { get; init; } = string.Empty;

    [JsonPropertyName("$base64")]
    public string? Base64 { get; init; }
}

public static class HostileCorpus
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly Lazy<IReadOnlyList<HostileCase>> Loaded = new(Load);

    public static IReadOnlyList<HostileCase> All => Loaded.Value;

    public static HostileCase Get(string name) => Loaded.Value.Single(c => c.Name == name);

    private static HostileCase[] Load()
    {
        string path = System.IO.Path.Combine(AppContext.BaseDirectory, "Data", "hostile-inputs.json");
        return JsonSerializer.Deserialize<HostileCase[]>(File.ReadAllText(path), Options)
            ?? throw new InvalidOperationException($"{path} holds no cases.");
    }

    public static GeneratedBody Generated(JsonElement body) =>
        body.Deserialize<GeneratedBody>(Options) ?? throw new InvalidOperationException("A generated body must be an object.");
}
