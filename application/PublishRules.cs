using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Publishing.GitHub;
using Microsoft.Extensions.Options;

namespace CodingAgent.Application;

/// <summary>Whether a run on a repository can publish as asked with this deployment's configuration; checked before anything is created.</summary>
public sealed class PublishRules(IOptions<RepositoryOptions> repositories, IOptions<GitHubOptions> github, IOptions<PublishingOptions> publishing)
{
    /// <summary>The branch a run publishes to: the one asked for, or this deployment's prefix and the run id.</summary>
    public string BranchFor(string? requested, string runId) => requested ?? publishing.Value.BranchPrefix + runId;

    /// <summary>Why <paramref name="mode"/> cannot work for the repository, or null when it can.</summary>
    public string? Check(string repository, string cloneUrl, string mode)
    {
        bool onGitHub = GitHubRepository.TryParse(repository, repositories.Value) is not null;
        bool overHttp = cloneUrl.StartsWith("http", StringComparison.OrdinalIgnoreCase);
        return mode switch
        {
            PublishModes.DraftPullRequest when !onGitHub =>
                "'draft_pr' needs a GitHub repository ('owner/name' or an https URL on an allowed host); use 'branch' to push elsewhere.",
            PublishModes.DraftPullRequest or PublishModes.Branch when onGitHub && overHttp && !github.Value.HasCredentials =>
                "Publishing to GitHub needs the deployment's GitHub credentials (CodingAgent__GitHub__Token, or CodingAgent__GitHub__AppId and CodingAgent__GitHub__AppPrivateKey).",
            _ => null,
        };
    }
}
