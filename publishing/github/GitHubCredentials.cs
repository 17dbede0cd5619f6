using System.Collections.Concurrent;
using CodingAgent.Hosting.Options;
using Microsoft.Extensions.Options;

namespace CodingAgent.Publishing.GitHub;

/// <summary>
/// The token a push or API call uses for one repository: the configured token, or a GitHub App installation token for
/// that repository (kept in this process until five minutes before it expires; never stored anywhere).
/// </summary>
public sealed class GitHubCredentials(GitHubApiClient api, IOptions<CodingAgentOptions> options, TimeProvider time)
{
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset ExpiresAt)> installationTokens = new(StringComparer.OrdinalIgnoreCase);

    public bool Configured => options.Value.GitHub.HasCredentials;

    public async Task<string> TokenForAsync(GitHubRepository repository, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        GitHubOptions github = options.Value.GitHub;
        if (!github.HasApp)
        {
            return github.Token is { Length: > 0 } token
                ? token
                : throw new PublishException("No GitHub credentials are configured: set CodingAgent__GitHub__Token, or CodingAgent__GitHub__AppId and CodingAgent__GitHub__AppPrivateKey.");
        }

        DateTimeOffset now = time.GetUtcNow();
        if (installationTokens.TryGetValue(repository.FullName, out var cached) && cached.ExpiresAt - RenewBefore > now)
        {
            return cached.Token;
        }

        string jwt = GitHubAppJwt.Create(github.AppId!, github.AppPrivateKey!, now);
        long installation = github.AppInstallationId ?? await api.GetInstallationIdAsync(repository, jwt, cancellationToken).ConfigureAwait(false);
        (string Token, DateTimeOffset ExpiresAt) issued = await api.CreateInstallationTokenAsync(installation, repository, jwt, cancellationToken).ConfigureAwait(false);
        installationTokens[repository.FullName] = issued;
        return issued.Token;
    }
}
