namespace CodingAgent.Configuration;

public sealed class SessionOptions
{
    public int IdleTimeoutSeconds { get; set; } = 900;

    public int MaxLifetimeSeconds { get; set; } = 86_400;
}
