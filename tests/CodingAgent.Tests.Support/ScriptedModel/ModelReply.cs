namespace CodingAgent.Tests.Support.ScriptedModel;

/// <summary>What the scripted model answers to one request, after waiting <see cref="Delay"/>.</summary>
internal abstract record ModelReply
{
    public TimeSpan Delay { get; init; }

    /// <summary>One-line description kept in <see cref="ModelRequestRecord.Reply"/>.</summary>
    public abstract string Describe();
}

/// <summary>A final assistant text (<c>finish_reason: "stop"</c>).</summary>
internal sealed record TextReply(string Text) : ModelReply
{
    public override string Describe() => $"text: {Text}";
}

/// <summary>One tool call (<c>finish_reason: "tool_calls"</c>); <see cref="Arguments"/> is a JSON object.</summary>
internal sealed record ToolCallReply(string Name, string Arguments) : ModelReply
{
    public override string Describe() => $"tool: {Name} {Arguments}";
}

/// <summary>An HTTP error with an OpenAI-style error body.</summary>
internal sealed record FailureReply(int StatusCode) : ModelReply
{
    public override string Describe() => $"fail: {StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
