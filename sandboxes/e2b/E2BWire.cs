using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodingAgent.Sandboxes.E2B;

// The control plane's JSON (docs/e2b.md §2). Its names are not camelCase everywhere, so every name is spelled out.

internal sealed record NewSandbox(
    [property: JsonPropertyName("templateID")] string TemplateId,
    [property: JsonPropertyName("timeout")] int TimeoutSeconds,
    [property: JsonPropertyName("metadata")] IReadOnlyDictionary<string, string> Metadata,
    [property: JsonPropertyName("envVars")] IReadOnlyDictionary<string, string>? EnvVars,
    [property: JsonPropertyName("autoPause")] bool AutoPause,
    [property: JsonPropertyName("network")] SandboxNetwork Network,
    // v1 only: without it there is no envd access token (and private traffic is refused); v2 is always secure.
    [property: JsonPropertyName("secure")] bool? Secure);

internal sealed record SandboxNetwork([property: JsonPropertyName("allowPublicTraffic")] bool AllowPublicTraffic);

/// <summary>The answer of create and connect.</summary>
internal sealed record CreatedSandbox(
    [property: JsonPropertyName("sandboxID")] string SandboxId,
    [property: JsonPropertyName("templateID")] string? TemplateId,
    [property: JsonPropertyName("envdVersion")] string? EnvdVersion,
    [property: JsonPropertyName("envdAccessToken")] string? EnvdAccessToken,
    [property: JsonPropertyName("trafficAccessToken")] string? TrafficAccessToken,
    [property: JsonPropertyName("domain")] string? Domain);

internal sealed record ListedSandbox(
    [property: JsonPropertyName("sandboxID")] string SandboxId,
    [property: JsonPropertyName("state")] string? State,
    [property: JsonPropertyName("startedAt")] DateTimeOffset? StartedAt,
    [property: JsonPropertyName("endAt")] DateTimeOffset? EndAt,
    [property: JsonPropertyName("metadata")] Dictionary<string, string>? Metadata);

internal sealed record TimeoutBody([property: JsonPropertyName("timeout")] int TimeoutSeconds);

internal sealed record ApiError(
    [property: JsonPropertyName("code")] int? Code,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("error_code")] string? ErrorCode);

internal static class E2BJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}
