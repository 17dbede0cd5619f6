using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CodingAgent.Application.Keys;

/// <summary>Keys look like <c>crt_{id}_{secret}</c>: the id finds the stored row, only the secret's SHA-256 is stored.</summary>
public static partial class ApiKeyFormat
{
    public static (string KeyId, string Secret, string Key) NewKey()
    {
        string id = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 12);
        string secret = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40);
        return (id, secret, $"crt_{id}_{secret}");
    }

    public static bool TryParse(string key, out string keyId, out string secret)
    {
        Match match = KeyPattern().Match(key);
        keyId = match.Success ? match.Groups["id"].Value : string.Empty;
        secret = match.Success ? match.Groups["secret"].Value : string.Empty;
        return match.Success;
    }

    public static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));

    [GeneratedRegex("^crt_(?<id>[a-z0-9]{12})_(?<secret>[A-Za-z0-9]{40})$")]
    private static partial Regex KeyPattern();
}
