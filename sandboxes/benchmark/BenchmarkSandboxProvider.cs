using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace CodingAgent.Sandboxes.Benchmark;

/// <summary>
/// <b>Benchmark only — it runs nothing, it fakes the sandbox.</b> Selected with <c>CodingAgent__Sandbox__Provider=benchmark</c>
/// to measure the control plane alone (how many idle runs one host holds, at what memory and CPU): sandboxes are
/// in-memory records, git commands get canned answers (<see cref="BenchmarkCommands"/>), and the OpenCode "process" is a
/// handle whose output is the listening line, served by one shared in-process <see cref="OpenCodeSimulator"/>. The
/// durable engine and storage stay real. Never use it to run work: no repository is cloned and no agent runs.
/// </summary>
public sealed class BenchmarkSandboxProvider(TimeProvider time) : ISandboxProvider, IAsyncDisposable
{
    public const string ProviderName = "benchmark";
    private const string IdPrefix = "bsb-";

    private readonly ConcurrentDictionary<string, BenchmarkSandbox> sandboxes = new(StringComparer.Ordinal);
    private readonly Lazy<Task<OpenCodeSimulator>> simulator = new(() => OpenCodeSimulator.StartAsync(time), LazyThreadSafetyMode.ExecutionAndPublication);

    public string Name => ProviderName;

    public Task<ISandbox> CreateAsync(SandboxCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        DateTimeOffset now = time.GetUtcNow();
        BenchmarkSandbox sandbox = new(IdPrefix + Guid.NewGuid().ToString("N")[..20], request.Metadata, now, now + request.Timeout, simulator);
        sandboxes[sandbox.Id] = sandbox;
        return Task.FromResult<ISandbox>(sandbox);
    }

    public Task<ISandbox?> ConnectAsync(string sandboxId, CancellationToken cancellationToken) =>
        Task.FromResult<ISandbox?>(sandboxes.TryGetValue(sandboxId, out BenchmarkSandbox? sandbox) ? sandbox : null);

    public async IAsyncEnumerable<SandboxInfo> ListAsync(
        IReadOnlyDictionary<string, string> metadata, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        foreach (BenchmarkSandbox sandbox in sandboxes.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (metadata.All(pair => sandbox.Metadata.TryGetValue(pair.Key, out string? value) && value == pair.Value))
            {
                yield return sandbox.Info;
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task<DateTimeOffset> SetTimeoutAsync(string sandboxId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        BenchmarkSandbox sandbox = sandboxes.TryGetValue(sandboxId, out BenchmarkSandbox? found)
            ? found
            : throw new SandboxException($"Sandbox {sandboxId} does not exist.");
        sandbox.ExpiresAt = time.GetUtcNow() + timeout;
        return Task.FromResult(sandbox.ExpiresAt);
    }

    public async Task<bool> KillAsync(string sandboxId, CancellationToken cancellationToken)
    {
        if (!sandboxes.TryRemove(sandboxId, out BenchmarkSandbox? sandbox))
        {
            return false;
        }

        await sandbox.StopAllAsync().ConfigureAwait(false);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (simulator.IsValueCreated && simulator.Value.IsCompletedSuccessfully)
        {
            await (await simulator.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
    }
}
