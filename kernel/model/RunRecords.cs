namespace CodingAgent.Model;

public sealed record PatchStats(int FilesChanged, int Additions, int Deletions)
{
    public static readonly PatchStats Empty = new(0, 0, 0);
}

/// <param name="InputTokens">Prompt tokens the provider did not serve from its cache (OpenCode's <c>tokens.input</c>).</param>
/// <param name="CacheReadTokens">Prompt tokens served from the provider's cache (<c>tokens.cache.read</c>).</param>
/// <param name="CacheWriteTokens">Prompt tokens written to the provider's cache (<c>tokens.cache.write</c>).</param>
/// <param name="SandboxSeconds">Sandbox life, idle included: a turn's share since the previous turn; the run's from creation to kill.</param>
public sealed record Usage(long InputTokens, long OutputTokens, decimal CostUsd, long SandboxSeconds, long CacheReadTokens = 0, long CacheWriteTokens = 0)
{
    public static readonly Usage Zero = new(0, 0, 0m, 0);

    public Usage Add(Usage other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            InputTokens + other.InputTokens,
            OutputTokens + other.OutputTokens,
            CostUsd + other.CostUsd,
            SandboxSeconds + other.SandboxSeconds,
            CacheReadTokens + other.CacheReadTokens,
            CacheWriteTokens + other.CacheWriteTokens);
    }
}

public sealed record PhaseRecord(string Name, string Status, DateTimeOffset StartedAt, long? DurationMs, int? Turn = null);

public sealed record RunError(string Code, string Message, string? Phase, bool Retryable);

/// <summary>Where the run's warm agent lives; internal, never part of a response.</summary>
public sealed record AgentLocation(string SandboxId, string RepositoryPath, int? Port, string? ProcessRef, string? SessionId);
