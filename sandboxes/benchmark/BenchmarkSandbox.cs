using System.Collections.Concurrent;
using System.Globalization;

namespace CodingAgent.Sandboxes.Benchmark;

/// <summary>
/// A fake sandbox (benchmark only): an in-memory record of its metadata, timeout and written files. Commands get canned
/// answers; a started <c>opencode serve</c> becomes a server of the shared <see cref="OpenCodeSimulator"/>.
/// </summary>
internal sealed class BenchmarkSandbox(
    string id, IReadOnlyDictionary<string, string> metadata, DateTimeOffset createdAt, DateTimeOffset expiresAt, Lazy<Task<OpenCodeSimulator>> simulator)
    : ISandbox
{
    // OpenCode's own default port; each further server in the same sandbox takes the next one.
    private const int FirstPort = 4096;

    private readonly ConcurrentDictionary<string, byte[]> files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BenchmarkProcessHandle> processes = new(StringComparer.Ordinal);
    private readonly BenchmarkCommands commands = new();
    private int nextProcess;
    private long expiresAtTicks = expiresAt.UtcTicks;

    public string Id { get; } = id;

    public string HomePath => "/home/user";

    public IReadOnlyDictionary<string, string> Metadata { get; } = metadata;

    public DateTimeOffset ExpiresAt
    {
        get => new(Interlocked.Read(ref expiresAtTicks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref expiresAtTicks, value.UtcTicks);
    }

    public SandboxInfo Info => new(Id, SandboxState.Running, createdAt, ExpiresAt, Metadata);

    public Task<bool> IsAliveAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<CommandResult> RunAsync(CommandSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Task.FromResult(commands.Answer(spec.Command));
    }

    public async Task<IProcessHandle> StartAsync(CommandSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int index = Interlocked.Increment(ref nextProcess) - 1;
        string processRef = $"{Id}-p{index.ToString(CultureInfo.InvariantCulture)}";
        BenchmarkProcessHandle handle;
        if (BenchmarkCommands.IsOpenCodeServe(spec.Command))
        {
            OpenCodeSimulator server = await simulator.Value.ConfigureAwait(false);
            int port = FirstPort + index;
            server.AddServer(processRef, spec.WorkingDirectory ?? HomePath, OpenCodeCredentials.From(spec.Env));
            handle = new BenchmarkProcessHandle(processRef, port, [$"opencode server listening on http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"]);
        }
        else
        {
            handle = new BenchmarkProcessHandle(processRef, null, []);
        }

        processes[processRef] = handle;
        return handle;
    }

    public Task<bool> IsProcessRunningAsync(string processRef, CancellationToken cancellationToken) =>
        Task.FromResult(processes.TryGetValue(processRef, out BenchmarkProcessHandle? handle) && handle.IsRunning);

    public async Task<bool> SignalAsync(string processRef, ProcessSignal signal, CancellationToken cancellationToken)
    {
        if (!processes.TryGetValue(processRef, out BenchmarkProcessHandle? handle) || !handle.Stop())
        {
            return false;
        }

        if (handle.Port is not null && simulator.IsValueCreated)
        {
            (await simulator.Value.ConfigureAwait(false)).RemoveServer(processRef);
        }

        return true;
    }

    public Task<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken) =>
        files.TryGetValue(Resolve(path), out byte[]? content)
            ? Task.FromResult(content)
            : Task.FromException<byte[]>(new FileNotFoundException($"No file {path} in benchmark sandbox {Id}.", path));

    public Task WriteFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        files[Resolve(path)] = content.ToArray();
        return Task.CompletedTask;
    }

    public async Task<PortEndpoint> GetPortEndpointAsync(int port, CancellationToken cancellationToken)
    {
        OpenCodeSimulator server = await simulator.Value.ConfigureAwait(false);
        // The port names one simulated server; a port nothing listens on gets a server id the simulator does not know.
        string serverId = processes.Values.FirstOrDefault(p => p.Port == port && p.IsRunning)?.Ref ?? $"{Id}-none";
        return new PortEndpoint(server.BaseUrl, new Dictionary<string, string> { [OpenCodeSimulator.ServerHeader] = serverId });
    }

    /// <summary>Stops every process, as killing the sandbox does.</summary>
    public async Task StopAllAsync()
    {
        foreach (string processRef in processes.Keys)
        {
            await SignalAsync(processRef, ProcessSignal.Kill, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private string Resolve(string path) => path.StartsWith('/') ? path : HomePath + "/" + path;
}
