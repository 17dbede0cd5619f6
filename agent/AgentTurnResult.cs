using CodingAgent.Model;

namespace CodingAgent.Agent;

/// <summary>What OpenCode made of one prompt, read back from its message list after the turn ended.</summary>
public sealed record AgentTurnResult(string? FinalText, Usage Usage, RunError? Error)
{
    /// <summary>True when the turn was aborted (someone called OpenCode's abort) before it finished.</summary>
    public bool Cancelled => Error?.Code == TurnErrors.Cancelled;
}
