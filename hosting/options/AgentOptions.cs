namespace CodingAgent.Hosting.Options;

public sealed class AgentOptions
{
    /// <summary>The <c>opencode</c> binary the local provider starts.</summary>
    public string OpenCodePath { get; set; } = "opencode";

    public int StartTimeoutSeconds { get; set; } = 90;

    public int TurnTimeoutSeconds { get; set; } = 1800;
}
