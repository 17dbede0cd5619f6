namespace CodingAgent.Tests.Support.ScriptedModel;

/// <summary>The parts of a chat/completions request the script needs.</summary>
internal sealed record ChatRequest(
    string Model,
    bool Stream,
    bool HasTools,
    string? WorkingDirectory,
    string? LastUserText,
    IReadOnlyList<ToolCallSeen> ToolCallsSinceUser,
    IReadOnlyDictionary<string, string> ToolResultsSinceUser);

/// <summary>A tool call made by the assistant after the last user message.</summary>
internal sealed record ToolCallSeen(string Id, string Name, string Arguments);
