using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace CodingAgent.Gateway;

/// <summary>
/// A run's model-gateway token, <c>mgw.{runId}.{secret}</c>: the only model credential a sandbox ever holds. It names the
/// run so the gateway can find the stored secret; the secret (32 random bytes) is what proves it.
/// </summary>
public sealed record GatewayToken(string RunId, string Secret)
{
    private const string Prefix = "mgw.";

    public static GatewayToken Issue(string runId) =>
        new(runId, Base64Url(RandomNumberGenerator.GetBytes(32)));

    public override string ToString() => Prefix + RunId + "." + Secret;

    public static bool TryParse(string? text, [NotNullWhen(true)] out GatewayToken? token)
    {
        token = null;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal) || text.Length > 200)
        {
            return false;
        }

        string rest = text[Prefix.Length..];
        int dot = rest.LastIndexOf('.');
        if (dot <= 0 || dot == rest.Length - 1)
        {
            return false;
        }

        string runId = rest[..dot];
        if (!runId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            return false;
        }

        token = new GatewayToken(runId, rest[(dot + 1)..]);
        return true;
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
