namespace CodingAgent.Configuration;

/// <summary>Validation after each turn: limits that apply when a run does not set its own.</summary>
public sealed class ValidationOptions
{
    /// <summary>How long one validation command may run before it is killed (a run may ask for less or more, up to <see cref="MaxTimeoutSeconds"/>).</summary>
    public int TimeoutSeconds { get; set; } = 600;

    public int MaxTimeoutSeconds { get; set; } = 3600;

    /// <summary>The most automatic fix turns a run may ask for (<c>validation.maxFixAttempts</c>).</summary>
    public int MaxFixAttempts { get; set; } = 5;

    /// <summary>How much of the end of a command's output the verdict keeps (and a fix turn's prompt carries).</summary>
    public int OutputTailCharacters { get; set; } = 4000;
}
