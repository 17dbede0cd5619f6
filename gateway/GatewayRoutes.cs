namespace CodingAgent.Gateway;

/// <summary>The model gateway's routes below the host prefix (OpenAI-compatible); <see cref="Base"/> is what OpenCode is given.</summary>
public static class GatewayRoutes
{
    public const string Base = "model-gateway/v1";
    public const string ChatCompletions = Base + "/chat/completions";
}
