namespace CodingAgent.Sandboxes;

public enum SandboxState
{
    Running,
    Paused,
    Stopped,
    Unknown,
}

public enum ProcessSignal
{
    Terminate = 15,
    Kill = 9,
}

public sealed record SandboxCreateRequest(
    string Template,
    TimeSpan Timeout,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyDictionary<string, string>? EnvVars = null);

public sealed record SandboxInfo(
    string Id, SandboxState State, DateTimeOffset? StartedAt, DateTimeOffset? ExpiresAt, IReadOnlyDictionary<string, string> Metadata);

/// <summary>A shell command. <paramref name="Timeout"/> null means no limit.</summary>
/// <param name="MaxOutputBytes">How much of the end of stdout and of stderr is kept (each); what came before is dropped.</param>
public sealed record CommandSpec(
    string Command,
    string? WorkingDirectory = null,
    IReadOnlyDictionary<string, string>? Env = null,
    TimeSpan? Timeout = null,
    int MaxOutputBytes = CommandSpec.DefaultMaxOutputBytes)
{
    public const int DefaultMaxOutputBytes = 4 * 1024 * 1024;
}

public sealed record CommandResult(int ExitCode, string Stdout, string Stderr, bool TimedOut)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}

public sealed record PortEndpoint(Uri BaseUrl, IReadOnlyDictionary<string, string> RequiredHeaders);
