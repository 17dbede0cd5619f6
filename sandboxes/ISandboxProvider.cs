namespace CodingAgent.Sandboxes;

/// <summary>Hides where sandboxes run (E2B in production, a local directory + process tree on one machine).</summary>
public interface ISandboxProvider
{
    string Name { get; }

    Task<ISandbox> CreateAsync(SandboxCreateRequest request, CancellationToken cancellationToken);

    /// <summary>Attaches to an existing sandbox; null when it no longer exists.</summary>
    Task<ISandbox?> ConnectAsync(string sandboxId, CancellationToken cancellationToken);

    /// <summary>Sandboxes whose metadata contains every given pair.</summary>
    IAsyncEnumerable<SandboxInfo> ListAsync(IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);

    /// <summary>
    /// Asks for the sandbox to end <paramref name="timeout"/> from now; returns when it will really end, which a provider's
    /// plan may clamp to less.
    /// </summary>
    Task<DateTimeOffset> SetTimeoutAsync(string sandboxId, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Kills the sandbox and everything in it; false when it did not exist.</summary>
    Task<bool> KillAsync(string sandboxId, CancellationToken cancellationToken);
}
