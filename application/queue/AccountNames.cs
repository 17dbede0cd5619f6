using System.Text.RegularExpressions;

namespace CodingAgent.Application.Queue;

/// <summary>An account a queue message may name: 1–64 letters, digits, '.', '_' or '-' (it becomes a storage partition key).</summary>
public static partial class AccountNames
{
    public static bool IsValid(string? account) => account is not null && Pattern().IsMatch(account);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex Pattern();
}
