using CodingAgent.Application.Model;

namespace CodingAgent.Agent;

/// <summary>What OpenCode made of one prompt, read back from its message list after the session went idle.</summary>
public sealed record AgentTurnResult(string? FinalText, Usage Usage, RunError? Error);
