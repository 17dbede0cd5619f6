using System.Collections.Concurrent;

namespace CodingAgent.Tests.Support.E2BLoopback;

/// <summary>A refusal the loopback server gives instead of doing an operation, as E2B's API would.</summary>
public sealed record LoopbackFault(int Status, string Message, string? ErrorCode = null, int? RetryAfterSeconds = null)
{
    /// <summary>Control-plane operations only: instead of answering, hang until the caller gives up, or drop the connection.</summary>
    public LoopbackFaultKind Kind { get; init; } = LoopbackFaultKind.Answer;

    public static LoopbackFault Hang() => new(0, "no answer") { Kind = LoopbackFaultKind.Hang };

    public static LoopbackFault DropConnection() => new(0, "connection dropped") { Kind = LoopbackFaultKind.DropConnection };
}

public enum LoopbackFaultKind
{
    Answer,
    Hang,
    DropConnection,
}

/// <summary>
/// Faults queued per operation: the control plane's <c>create</c>, <c>connect</c>, <c>timeout</c>, <c>kill</c>, <c>list</c>;
/// envd's <c>envd.start</c> (an end-of-stream error frame) and <c>envd.health</c>; <c>proxy</c> (a request to any other port).
/// </summary>
public sealed class LoopbackFaults
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<LoopbackFault>> queued = new(StringComparer.Ordinal);

    public void Add(string operation, int count, LoopbackFault fault)
    {
        ConcurrentQueue<LoopbackFault> queue = queued.GetOrAdd(operation, _ => new ConcurrentQueue<LoopbackFault>());
        for (int i = 0; i < count; i++)
        {
            queue.Enqueue(fault);
        }
    }

    public int Pending(string operation) => queued.TryGetValue(operation, out ConcurrentQueue<LoopbackFault>? queue) ? queue.Count : 0;

    internal LoopbackFault? Take(string operation) =>
        queued.TryGetValue(operation, out ConcurrentQueue<LoopbackFault>? queue) && queue.TryDequeue(out LoopbackFault? fault) ? fault : null;
}
