using System.Runtime.CompilerServices;

namespace CodingAgent.Sandboxes.Benchmark;

/// <summary>A fake background process (benchmark only): it prints its lines, then "runs" until it is signalled.</summary>
internal sealed class BenchmarkProcessHandle(string processRef, int? port, IReadOnlyList<string> output) : IProcessHandle
{
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Ref { get; } = processRef;

    /// <summary>No operating-system process exists.</summary>
    public int? Pid => null;

    /// <summary>The port a simulated <c>opencode serve</c> "listens" on; null for any other command.</summary>
    public int? Port { get; } = port;

    public bool IsRunning => !stopped.Task.IsCompleted;

    /// <summary>True when it was running.</summary>
    public bool Stop() => stopped.TrySetResult();

    public async IAsyncEnumerable<string> ReadOutputLinesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (string line in output)
        {
            yield return line;
        }

        await stopped.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
