namespace CodingAgent.Configuration;

public sealed class ModelOptions
{
    /// <summary>The OpenAI-compatible provider the model gateway forwards to. Sandboxes never see it: they talk to the gateway.</summary>
    public string BaseUrl { get; set; } = "https://openrouter.ai/api/v1";

    /// <summary>The managed (platform) model key. Held by the control plane only: never in a sandbox, log or orchestration input.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Where sandboxes reach this control plane's model gateway (scheme + host [+ port], no path). Default: the self-host's
    /// listening address, or <c>https://{WEBSITE_HOSTNAME}</c> in Azure Functions.
    /// </summary>
    public string? GatewayUrl { get; set; }

    /// <summary>Model ids a run may name (exact ids, or a prefix ending in <c>*</c>); empty: any.</summary>
    public IList<string> AllowedModels { get; set; } = [];
}
