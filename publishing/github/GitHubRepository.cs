using System.Text.RegularExpressions;
using CodingAgent.Configuration;

namespace CodingAgent.Publishing.GitHub;

/// <summary>A repository on the configured GitHub: <c>owner/name</c>, from a run's <c>repository</c> as the caller gave it.</summary>
public sealed partial record GitHubRepository(string Owner, string Name)
{
    public string FullName => $"{Owner}/{Name}";

    /// <summary>
    /// <c>owner/name</c> itself, or an https URL on an allowed host (<c>https://github.com/owner/name(.git)</c>); null for
    /// anything else (a local path, another host).
    /// </summary>
    public static GitHubRepository? TryParse(string repository, RepositoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(repository))
        {
            return null;
        }

        Match match = OwnerName().Match(repository);
        if (!match.Success && Uri.TryCreate(repository, UriKind.Absolute, out Uri? uri) && uri.Scheme == Uri.UriSchemeHttps
            && options.AllowedHosts.Contains(uri.Host, StringComparer.OrdinalIgnoreCase))
        {
            string path = uri.AbsolutePath.Trim('/');
            match = OwnerName().Match(path.EndsWith(".git", StringComparison.Ordinal) ? path[..^4] : path);
        }

        return match.Success ? new GitHubRepository(match.Groups["owner"].Value, match.Groups["name"].Value) : null;
    }

    [GeneratedRegex(@"^(?<owner>[A-Za-z0-9][A-Za-z0-9-]{0,38})/(?<name>[A-Za-z0-9._-]{1,100})$")]
    private static partial Regex OwnerName();
}
