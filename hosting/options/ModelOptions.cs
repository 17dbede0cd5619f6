namespace CodingAgent.Hosting.Options;

public sealed class ModelOptions
{
    /// <summary>OpenAI-compatible endpoint OpenCode talks to.</summary>
    public string BaseUrl { get; set; } = "https://openrouter.ai/api/v1";

    /// <summary>The managed (platform) model key. Never logged, never put in orchestration input.</summary>
    public string? ApiKey { get; set; }
}
