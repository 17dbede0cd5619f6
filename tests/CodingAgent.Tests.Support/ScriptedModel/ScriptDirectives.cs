namespace CodingAgent.Tests.Support.ScriptedModel;

/// <summary>One line of a task script.</summary>
internal abstract record ScriptDirective;

/// <summary>A directive that the model turns into one tool call (one LLM step).</summary>
internal abstract record ToolDirective : ScriptDirective
{
    /// <summary>Short past-tense description used in the default final text, e.g. <c>wrote hello.txt</c>.</summary>
    public abstract string Summary { get; }
}

/// <summary><c>write path: content</c>.</summary>
internal sealed record WriteDirective(string Path, string Content) : ToolDirective
{
    public override string Summary => $"wrote {Path}";
}

/// <summary><c>edit path: old =&gt; new</c>.</summary>
internal sealed record EditDirective(string Path, string OldText, string NewText) : ToolDirective
{
    public override string Summary => $"edited {Path}";
}

/// <summary><c>bash: command</c>.</summary>
internal sealed record BashDirective(string Command) : ToolDirective
{
    public override string Summary => $"ran {Command}";
}

/// <summary><c>sleep milliseconds</c>: delay the next response.</summary>
internal sealed record SleepDirective(TimeSpan Duration) : ScriptDirective;

/// <summary><c>fail status</c>: answer the next request with an HTTP error.</summary>
internal sealed record FailDirective(int StatusCode) : ScriptDirective;

/// <summary><c>say text</c>: the final answer text.</summary>
internal sealed record SayDirective(string Text) : ScriptDirective;
