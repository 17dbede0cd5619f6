using System.Text.Json;

namespace CodingAgent.Gateway;

/// <summary>What one model call consumed, as the provider reported it (OpenAI <c>usage</c>; OpenRouter adds <c>cost</c>).</summary>
public sealed record ModelCallUsage(long InputTokens, long OutputTokens, long CachedTokens, decimal CostUsd)
{
    /// <summary>Reads a <c>usage</c> object; null when the element holds none.</summary>
    public static ModelCallUsage? From(JsonElement completion)
    {
        if (completion.ValueKind != JsonValueKind.Object || !completion.TryGetProperty("usage", out JsonElement usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        long cached = usage.TryGetProperty("prompt_tokens_details", out JsonElement details) && details.ValueKind == JsonValueKind.Object
            ? Number(details, "cached_tokens")
            : 0;
        decimal cost = usage.TryGetProperty("cost", out JsonElement c) && c.ValueKind == JsonValueKind.Number && c.TryGetDecimal(out decimal d) ? d : 0m;
        return new ModelCallUsage(Number(usage, "prompt_tokens"), Number(usage, "completion_tokens"), cached, cost);
    }

    private static long Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) ? n : 0;
}
