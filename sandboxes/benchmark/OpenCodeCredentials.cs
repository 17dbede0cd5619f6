using System.Text;

namespace CodingAgent.Sandboxes.Benchmark;

/// <summary>The Basic auth a simulated OpenCode server asks for, taken from the launch environment as OpenCode does (docs/opencode.md §1).</summary>
internal sealed record OpenCodeCredentials(string Username, string? Password)
{
    public static OpenCodeCredentials From(IReadOnlyDictionary<string, string>? env) => new(
        env?.GetValueOrDefault("OPENCODE_SERVER_USERNAME") is { Length: > 0 } user ? user : "opencode",
        env?.GetValueOrDefault("OPENCODE_SERVER_PASSWORD") is { Length: > 0 } password ? password : null);

    /// <summary>True without a password (an unsecured server), else for <c>Basic base64(user:pass)</c> or the same as <c>?auth_token=</c>.</summary>
    public bool Accepts(string? authorization, string? authToken)
    {
        if (Password is null)
        {
            return true;
        }

        string expected = Convert.ToBase64String(Encoding.UTF8.GetBytes(Username + ":" + Password));
        return authorization == "Basic " + expected || authToken == expected;
    }
}
