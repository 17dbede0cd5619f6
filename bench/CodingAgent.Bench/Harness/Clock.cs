using System.Diagnostics;

namespace CodingAgent.Bench.Harness;

internal static class Clock
{
    public static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    public static double MillisecondsSince(long timestamp) => Stopwatch.GetElapsedTime(timestamp).TotalMilliseconds;
}
