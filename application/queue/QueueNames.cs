using System.Text.RegularExpressions;

namespace CodingAgent.Application.Queue;

/// <summary>Azure Storage queue names: 3–63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.</summary>
public static partial class QueueNames
{
    public static bool IsValid(string? name) => name is { Length: >= 3 and <= 63 } && Pattern().IsMatch(name) && !name.Contains("--", StringComparison.Ordinal);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*[a-z0-9]$")]
    private static partial Regex Pattern();
}
