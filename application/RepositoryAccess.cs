using System.Text.RegularExpressions;
using CodingAgent.Configuration;
using CodingAgent.Storage;
using Microsoft.Extensions.Options;

namespace CodingAgent.Application;

/// <summary>
/// Which remote repositories an account may name (docs/security.md): a run on any other is refused before the platform
/// asks GitHub for a token. Patterns are <c>owner/name</c>, <c>owner/*</c> (on the host <c>owner/name</c> resolves to),
/// the same with a host in front (<c>ghe.example.com/owner/*</c>), or <c>*</c>. Local paths are not covered: only a
/// single-user deployment allows them at all (<c>Repositories:AllowLocalPaths</c>, refused on Functions).
/// </summary>
public sealed partial class RepositoryAccess(AccountStore accounts, IOptions<RepositoryOptions> options)
{
    public async Task<bool> IsAllowedAsync(string account, string cloneUrl, CancellationToken cancellationToken)
    {
        if (Identity(cloneUrl) is not { } identity)
        {
            return true; // a local path: governed by AllowLocalPaths, validated before this
        }

        IReadOnlyList<string> patterns = await accounts.AllowedRepositoriesAsync(account, cancellationToken).ConfigureAwait(false);
        return Allows(patterns, cloneUrl);
    }

    /// <summary>Whether one of <paramref name="patterns"/> covers the remote <paramref name="cloneUrl"/>.</summary>
    public bool Allows(IReadOnlyList<string> patterns, string cloneUrl)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        return Identity(cloneUrl) is { } identity && patterns.Any(p => Matches(Normalize(p), identity));
    }

    /// <summary>
    /// A pattern as the allow-list stores it (trimmed, lower case), or null when it is not one. One without a host is kept
    /// so: it means the host <c>owner/name</c> resolves to in the deployment that checks it.
    /// </summary>
    public string? Canonical(string pattern) => Normalize(pattern) is null ? null : pattern.Trim().Trim('/').ToLowerInvariant();

    // A pattern with its host (the deployment's owner/name host when it has none), or null when it is not one.
    private string? Normalize(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        string trimmed = pattern.Trim().Trim('/').ToLowerInvariant();
        if (trimmed == "*")
        {
            return trimmed;
        }

        string withHost = trimmed.Count(c => c == '/') == 1 ? DefaultHost() + "/" + trimmed : trimmed;
        return PatternShape().IsMatch(withHost) ? withHost : null;
    }

    // host/owner/name of an http(s) clone URL, lower case, without ".git"; null for anything that is not a URL.
    private static string? Identity(string cloneUrl)
    {
        if (!Uri.TryCreate(cloneUrl, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }

        string path = uri.AbsolutePath.Trim('/');
        path = path.EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? path[..^4] : path;
        return (uri.Authority + "/" + path).ToLowerInvariant();
    }

    // Owner and name are the last two segments, so a GitHub Enterprise path prefix is part of the host side.
    private static bool Matches(string? pattern, string identity) => pattern switch
    {
        null => false,
        "*" => true,
        _ when pattern.EndsWith("/*", StringComparison.Ordinal) =>
            identity.StartsWith(pattern[..^1], StringComparison.Ordinal) && !identity[(pattern.Length - 1)..].Contains('/', StringComparison.Ordinal),
        _ => identity == pattern,
    };

    private string DefaultHost()
    {
        string owners = options.Value.OwnerNameBase;
        return Uri.TryCreate(owners, UriKind.Absolute, out Uri? uri) ? (uri.Authority + uri.AbsolutePath.TrimEnd('/')).ToLowerInvariant() : owners.ToLowerInvariant();
    }

    [GeneratedRegex(@"^[a-z0-9.:-]+(/[a-z0-9._-]+)*/[a-z0-9][a-z0-9-]{0,38}/([a-z0-9._-]{1,100}|\*)$")]
    private static partial Regex PatternShape();
}
