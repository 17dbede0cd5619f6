using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CodingAgent.Publishing;
using CodingAgent.Publishing.GitHub;

namespace CodingAgent.Tests.Unit.Publishing;

public sealed class GitHubAppJwtTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_IsAnRs256TokenSignedByTheAppKey_IssuedBeforeNowForNineMinutes()
    {
        using RSA key = RSA.Create(2048);
        string jwt = GitHubAppJwt.Create("12345", key.ExportRSAPrivateKeyPem(), Now);

        string[] parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        using JsonDocument header = JsonDocument.Parse(Decode(parts[0]));
        using JsonDocument payload = JsonDocument.Parse(Decode(parts[1]));
        Assert.Equal("RS256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal("12345", payload.RootElement.GetProperty("iss").GetString());
        Assert.Equal(Now.AddSeconds(-60).ToUnixTimeSeconds(), payload.RootElement.GetProperty("iat").GetInt64());
        Assert.Equal(Now.AddMinutes(9).ToUnixTimeSeconds(), payload.RootElement.GetProperty("exp").GetInt64());
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Decode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void Create_AcceptsAPemWithEscapedNewlines_AsAppSettingsCarryIt()
    {
        using RSA key = RSA.Create(2048);
        string oneLine = key.ExportPkcs8PrivateKeyPem().Replace("\n", "\\n", StringComparison.Ordinal);
        string jwt = GitHubAppJwt.Create("7", oneLine, Now);
        string[] parts = jwt.Split('.');
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Decode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void Create_NotAKey_IsAReadableError() =>
        Assert.Contains("AppPrivateKey", Assert.Throws<PublishException>(() => GitHubAppJwt.Create("7", "not a key", Now)).Message, StringComparison.Ordinal);

    private static byte[] Decode(string part)
    {
        string padded = part.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }
}
