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
public sealed record CommandSpec(
    string Command,
    string? WorkingDirectory = null,
    IReadOnlyDictionary<string, string>? Env = null,
    TimeSpan? Timeout = null);

public sealed record CommandResult(int ExitCode, string Stdout, string Stderr, bool TimedOut)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}

public sealed record PortEndpoint(Uri BaseUrl, IReadOnlyDictionary<string, string> RequiredHeaders);
