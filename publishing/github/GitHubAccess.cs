using CodingAgent.Model;
using CodingAgent.Configuration;
using Microsoft.Extensions.Options;

namespace CodingAgent.Publishing.GitHub;

/// <summary>Which runs talk to GitHub, and with what: the repository on GitHub a run works on, and the token git uses for it.</summary>
public sealed class GitHubAccess(GitHubCredentials credentials, IOptions<RepositoryOptions> options)
{
    public GitHubRepository? RepositoryOf(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return GitHubRepository.TryParse(run.Repository, options.Value);
    }

    /// <summary>
    /// The token for git over http(s) to the run's GitHub repository, with <paramref name="access"/> (a clone reads, only a
    /// publish writes); null for any other remote (a local path), or when the deployment has no GitHub credentials (a
    /// public repository then clones without).
    /// </summary>
    public async Task<string?> GitTokenForAsync(RunRecord run, GitHubTokenAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        bool overHttp = run.CloneUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || run.CloneUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
        return overHttp && credentials.Configured && RepositoryOf(run) is { } repository
            ? await credentials.TokenForAsync(repository, access, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <summary>The token for the REST calls of a publish (default branch, pull requests): write access.</summary>
    public Task<string> ApiTokenForAsync(GitHubRepository repository, CancellationToken cancellationToken) =>
        credentials.TokenForAsync(repository, GitHubTokenAccess.Write, cancellationToken);
}
