using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CodingAgent.Publishing.GitHub;

/// <summary>
/// The JSON Web Token a GitHub App signs to call the API as itself (RS256; issued a minute in the past against clock
/// drift, valid for nine minutes — GitHub allows ten).
/// </summary>
public static class GitHubAppJwt
{
    public static string Create(string appId, string privateKeyPem, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(appId);
        ArgumentException.ThrowIfNullOrWhiteSpace(privateKeyPem);
        string header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT" }));
        string payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new
        {
            iat = now.AddSeconds(-60).ToUnixTimeSeconds(),
            exp = now.AddMinutes(9).ToUnixTimeSeconds(),
            iss = appId.Trim(),
        }));
        using RSA rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(NormalizePem(privateKeyPem));
        }
        catch (ArgumentException)
        {
            throw new PublishException("CodingAgent__GitHub__AppPrivateKey is not a PEM private key.");
        }

        byte[] signature = rsa.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    /// <summary>App settings often carry a PEM on one line with <c>\n</c> escapes.</summary>
    private static string NormalizePem(string pem) => pem.Replace("\\n", "\n", StringComparison.Ordinal);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
