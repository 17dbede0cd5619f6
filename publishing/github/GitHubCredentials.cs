using System.Collections.Concurrent;
using CodingAgent.Configuration;
using Microsoft.Extensions.Options;

namespace CodingAgent.Publishing.GitHub;

/// <summary>
/// The token a clone, push or API call uses for one repository: a GitHub App installation token narrowed to that
/// repository and to the access asked for (kept in this process, per repository and access, until five minutes before it
/// expires; never stored anywhere), or else the configured token as it is: a plain token cannot be narrowed, so it reaches
/// whatever it was created for (use a fine-grained token for the one repository, or the App).
/// </summary>
public sealed class GitHubCredentials(GitHubApiClient api, IOptions<GitHubOptions> options, TimeProvider time)
{
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<(string Repository, GitHubTokenAccess Access), (string Token, DateTimeOffset ExpiresAt)> installationTokens =
        new(new TokenKeyComparer());

    public bool Configured => options.Value.HasCredentials;

    public async Task<string> TokenForAsync(GitHubRepository repository, GitHubTokenAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        GitHubOptions github = options.Value;
        if (!github.HasApp)
        {
            return github.Token is { Length: > 0 } token
                ? token
                : throw new PublishException("No GitHub credentials are configured: set CodingAgent__GitHub__Token, or CodingAgent__GitHub__AppId and CodingAgent__GitHub__AppPrivateKey.");
        }

        DateTimeOffset now = time.GetUtcNow();
        if (installationTokens.TryGetValue((repository.FullName, access), out var cached) && cached.ExpiresAt - RenewBefore > now)
        {
            return cached.Token;
        }

        string jwt = GitHubAppJwt.Create(github.AppId!, github.AppPrivateKey!, now);
        long installation = github.AppInstallationId ?? await api.GetInstallationIdAsync(repository, jwt, cancellationToken).ConfigureAwait(false);
        (string Token, DateTimeOffset ExpiresAt) issued = await api.CreateInstallationTokenAsync(installation, repository, access, jwt, cancellationToken).ConfigureAwait(false);
        installationTokens[(repository.FullName, access)] = issued;
        return issued.Token;
    }

    private sealed class TokenKeyComparer : IEqualityComparer<(string Repository, GitHubTokenAccess Access)>
    {
        public bool Equals((string Repository, GitHubTokenAccess Access) x, (string Repository, GitHubTokenAccess Access) y) =>
            x.Access == y.Access && string.Equals(x.Repository, y.Repository, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode((string Repository, GitHubTokenAccess Access) obj) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Repository), obj.Access);
    }
}
