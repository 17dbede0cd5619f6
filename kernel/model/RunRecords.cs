namespace CodingAgent.Model;

public sealed record PatchStats(int FilesChanged, int Additions, int Deletions)
{
    public static readonly PatchStats Empty = new(0, 0, 0);
}

public sealed record Usage(long InputTokens, long OutputTokens, decimal CostUsd, long SandboxSeconds)
{
    public static readonly Usage Zero = new(0, 0, 0m, 0);

    public Usage Add(Usage other) => new(
        InputTokens + other.InputTokens,
        OutputTokens + other.OutputTokens,
        CostUsd + other.CostUsd,
        SandboxSeconds + other.SandboxSeconds);
}

public sealed record PhaseRecord(string Name, string Status, DateTimeOffset StartedAt, long? DurationMs, int? Turn = null);

public sealed record RunError(string Code, string Message, string? Phase, bool Retryable);

/// <summary>Where the run's warm agent lives; internal, never part of a response.</summary>
public sealed record AgentLocation(string SandboxId, string RepositoryPath, int? Port, string? ProcessRef, string? SessionId);
