using System.Text.Json;

namespace CodingAgent.Model;

public static class RunEventTypes
{
    public const string Phase = "phase";
    public const string AgentText = "agent.text";
    public const string AgentTool = "agent.tool";
    public const string AgentFile = "agent.file";
    public const string AgentStep = "agent.step";
    public const string AgentError = "agent.error";
    public const string Validation = "validation";
    public const string Publish = "publish";
    public const string RunStatus = "run.status";
}

/// <summary>An entry of the run's ordered event log.</summary>
public sealed record RunEvent(long Seq, int Turn, DateTimeOffset At, string Type, JsonElement Data);

/// <summary>An event before it has a sequence number. <paramref name="Key"/> identifies it within its turn so a retried writer never appends it twice.</summary>
public sealed record RunEventDraft(int Turn, string Type, string Key, object Data);
