namespace CodingAgent.Tests.Support.ScriptedModel;

/// <summary>The identifiers and token counts shared by every chunk of one completion.</summary>
internal sealed record CompletionIdentity(string Id, string ToolCallId, string Model, long Created, int PromptTokens, int CompletionTokens)
{
    public int TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>Half the prompt is reported as served from the provider's cache, so cache accounting is exercised.</summary>
    public int CachedTokens => PromptTokens / 2;

    /// <summary>Deterministic usage: a quarter of the characters, at least one token.</summary>
    public static int EstimateTokens(int characters) => Math.Max(1, characters / 4);
}
