using System.Collections.Concurrent;

namespace CodingAgent.Storage;

/// <summary>
/// Wakes stream readers in this process as soon as events of their run are appended here. Writers in other processes are
/// not seen, so readers also poll storage on a slower beat; the signal only makes the common case fast.
/// </summary>
public sealed class EventLogSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> waiters = new(StringComparer.Ordinal);

    /// <summary>A task that completes at the next append to the run's log; take it before reading, then await it.</summary>
    public Task NextAppendAsync(string runId) =>
        waiters.GetOrAdd(runId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Appended(string runId)
    {
        if (waiters.TryRemove(runId, out TaskCompletionSource? waiting))
        {
            waiting.TrySetResult();
        }
    }
}
