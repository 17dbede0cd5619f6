using System.Collections.Concurrent;

namespace CodingAgent.Api.Streaming;

/// <summary>
/// How many streams each API key holds open on this instance (<c>Stream:MaxStreamsPerKey</c>). Counted per instance: a
/// scaled-out Functions app allows that many per key on each of its instances.
/// </summary>
public sealed class StreamAdmission
{
    private readonly ConcurrentDictionary<string, int> open = new(StringComparer.Ordinal);

    /// <summary>A lease for one more stream of <paramref name="keyId"/>, or null when it already holds <paramref name="max"/>.</summary>
    public IDisposable? TryEnter(string keyId, int max)
    {
        while (true)
        {
            int current = open.GetOrAdd(keyId, 0);
            if (current >= max)
            {
                return null;
            }

            if (open.TryUpdate(keyId, current + 1, current))
            {
                return new Lease(this, keyId);
            }
        }
    }

    public int OpenFor(string keyId) => open.GetValueOrDefault(keyId);

    private void Leave(string keyId) => open.AddOrUpdate(keyId, 0, (_, n) => Math.Max(0, n - 1));

    private sealed class Lease(StreamAdmission admission, string keyId) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                admission.Leave(keyId);
            }
        }
    }
}
