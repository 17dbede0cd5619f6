using System.Collections.Concurrent;

namespace CodingAgent.Storage;

/// <summary>
/// The records this process last read or wrote, with their ETags: an update starts from the remembered copy and skips
/// the read. A copy that is out of date (another process wrote since) fails the conditional write with 412, and the
/// update falls back to reading. Bounded: past <see cref="Capacity"/> entries it starts over.
/// </summary>
internal sealed class LastWritten<T>
    where T : class
{
    private const int Capacity = 4096;
    private readonly ConcurrentDictionary<string, T> records = new(StringComparer.Ordinal);

    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? record) => records.TryGetValue(key, out record);

    public void Remember(string key, T record)
    {
        if (records.Count >= Capacity)
        {
            records.Clear();
        }

        records[key] = record;
    }

    public void Forget(string key) => records.TryRemove(key, out _);
}
