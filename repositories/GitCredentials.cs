using System.Text;

namespace CodingAgent.Repositories;

/// <summary>
/// Hands a token to one git command, for one remote: an <c>http.&lt;url&gt;.extraHeader</c> given in that command's
/// environment (<see cref="GitIsolation"/>), so git sends it only to URLs under <c>url</c>. It is never written to the
/// repository's configuration, a remote URL, the command line (argv is readable by every process in the sandbox), or a
/// credential store, and no configured credential helper is asked.
/// </summary>
public static class GitCredentials
{
    /// <summary>
    /// The settings for one git command against <paramref name="url"/> (no credential helper; the token, when there is one,
    /// as a header for that URL only), to go into its environment through <see cref="GitIsolation.Environment"/>.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> For(string? token, string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        List<KeyValuePair<string, string>> config = [new("credential.helper", string.Empty)];
        if (token is { Length: > 0 } && IsHttp(url))
        {
            string basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + token));
            config.Add(new("http.extraHeader", string.Empty));
            config.Add(new($"http.{url}.extraHeader", string.Empty));
            config.Add(new($"http.{url}.extraHeader", "Authorization: Basic " + basic));
        }

        return config;
    }

    private static bool IsHttp(string url) =>
        url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
}
