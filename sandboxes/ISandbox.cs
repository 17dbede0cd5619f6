namespace CodingAgent.Sandboxes;

public interface ISandbox
{
    string Id { get; }

    /// <summary>Absolute path of the sandbox user's home; the repository is cloned below it.</summary>
    string HomePath { get; }

    Task<bool> IsAliveAsync(CancellationToken cancellationToken);

    /// <summary>Runs a command to its end; a non-zero exit is a result, not an exception.</summary>
    Task<CommandResult> RunAsync(CommandSpec spec, CancellationToken cancellationToken);

    /// <summary>Starts a long-running background process that outlives this call (and the control plane).</summary>
    Task<IProcessHandle> StartAsync(CommandSpec spec, CancellationToken cancellationToken);

    Task<bool> IsProcessRunningAsync(string processRef, CancellationToken cancellationToken);

    Task<bool> SignalAsync(string processRef, ProcessSignal signal, CancellationToken cancellationToken);

    Task<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken);

    Task WriteFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    Task<PortEndpoint> GetPortEndpointAsync(int port, CancellationToken cancellationToken);
}

public interface IProcessHandle
{
    string Ref { get; }

    int? Pid { get; }

    /// <summary>The process's standard output as lines, from its start, until it exits or the token fires.</summary>
    IAsyncEnumerable<string> ReadOutputLinesAsync(CancellationToken cancellationToken);
}
