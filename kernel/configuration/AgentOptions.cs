namespace CodingAgent.Configuration;

public sealed class AgentOptions
{
    /// <summary>The <c>opencode</c> binary the local provider starts.</summary>
    public string OpenCodePath { get; set; } = "opencode";

    public int StartTimeoutSeconds { get; set; } = 90;

    public int TurnTimeoutSeconds { get; set; } = 1800;

    /// <summary>The largest OpenCode event frame the control plane reads; a larger one fails the turn with <c>agent_protocol_error</c>.</summary>
    public int MaxEventFrameBytes { get; set; } = 16 * 1024 * 1024;
}
