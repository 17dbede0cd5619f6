using System.Text.RegularExpressions;

namespace CodingAgent.Sandboxes.E2B;

/// <summary>
/// E2B answered 409: the sandbox is between states (being paused, killed or snapshotted, or a start is in flight;
/// docs/e2b.md §3) and cannot be used until that ends. It is not gone, and the same call may succeed once it settles.
/// </summary>
public sealed partial class SandboxInTransitionException : SandboxException
{
    public SandboxInTransitionException(string action, string? detail)
        : base($"E2B refused to {action}: the sandbox is {Describe(detail)} and cannot be used until that ends (409: {detail ?? "Conflict"}).")
    {
        Transition = TransitionOf(detail);
    }

    public SandboxInTransitionException()
    {
    }

    public SandboxInTransitionException(string message)
        : base(message)
    {
    }

    public SandboxInTransitionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary><c>paused</c>, <c>killed</c> or <c>snapshotted</c>, as E2B's message says; null when it names none.</summary>
    public string? Transition { get; }

    private static string Describe(string? detail) =>
        TransitionOf(detail) is { } transition ? $"being {transition}" : "being paused, killed or snapshotted, or still starting";

    private static string? TransitionOf(string? detail) =>
        detail is not null && BeingWhat().Match(detail) is { Success: true } match ? match.Groups["state"].Value.ToLowerInvariant() : null;

    [GeneratedRegex(@"is being (?<state>paused|killed|snapshotted)", RegexOptions.IgnoreCase)]
    private static partial Regex BeingWhat();
}
