using CodingAgent.Model;

namespace CodingAgent.Application.Turns;

/// <summary>How a turn ends: its final status and error, and the session's expiry after it (null: the session is gone).</summary>
/// <param name="Agent">The agent's results, when the turn's agent phase ends with the turn (no validation or publishing
/// after it); null when that phase was closed earlier and only the steps after it are settled.</param>
/// <param name="Publish">What publishing reports for the turn, when it reports something other than what is stored.</param>
public sealed record TurnEnding(string Status, RunError? Error, DateTimeOffset? SessionExpiresAt, AgentPart? Agent = null, PublishResult? Publish = null);

/// <summary>What the agent phase of a turn produced (nothing, when the turn ended before the agent ran).</summary>
public sealed record AgentPart(string? Text, PatchStats? Stats, bool? PatchTruncated, Usage Usage)
{
    public static readonly AgentPart None = new(null, null, null, Usage.Zero);
}
