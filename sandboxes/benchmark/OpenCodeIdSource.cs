using System.Globalization;
using System.Security.Cryptography;

namespace CodingAgent.Sandboxes.Benchmark;

/// <summary>Ids in OpenCode's shape: prefix, 12 hex digits of (milliseconds × 4096 + counter), 14 base62 characters.</summary>
internal static class OpenCodeIdSource
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static long counter;

    public static string Next(string prefix, long unixMilliseconds)
    {
        long stamp = ((unixMilliseconds * 0x1000) + (Interlocked.Increment(ref counter) & 0xFFF)) & 0xFFFF_FFFF_FFFF;
        return string.Concat(prefix, "_", stamp.ToString("x12", CultureInfo.InvariantCulture), RandomNumberGenerator.GetString(Base62, 14));
    }
}
