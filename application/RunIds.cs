using System.Globalization;
using System.Security.Cryptography;

namespace CodingAgent.Application;

/// <summary>Run ids sort newest first (a table scans row keys ascending): <c>run_</c> + inverted milliseconds + randomness.</summary>
public static class RunIds
{
    private const long Ceiling = 9_999_999_999_999;

    public static string New(DateTimeOffset now) =>
        "run_" + Inverted(now) + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 10);

    /// <summary>The smallest and the largest id a run created between <paramref name="from"/> and <paramref name="to"/> can have.</summary>
    public static (string Smallest, string Largest) Range(DateTimeOffset from, DateTimeOffset to) =>
        ("run_" + Inverted(to), "run_" + Inverted(from) + "~");

    public static bool IsWellFormed(string? id) =>
        id is { Length: 27 } && id.StartsWith("run_", StringComparison.Ordinal) && id[4..].All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));

    private static string Inverted(DateTimeOffset at) => (Ceiling - at.ToUnixTimeMilliseconds()).ToString("D13", CultureInfo.InvariantCulture);
}
