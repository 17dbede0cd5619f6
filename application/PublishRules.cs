using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Publishing.GitHub;
using Microsoft.Extensions.Options;

namespace CodingAgent.Application;

/// <summary>Whether a run on a repository can publish as asked with this deployment's configuration; checked before anything is created.</summary>
public sealed class PublishRules(IOptions<CodingAgentOptions> options)
{
    /// <summary>Why <paramref name="mode"/> cannot work for the repository, or null when it can.</summary>
    public string? Check(string repository, string cloneUrl, string mode)
    {
        CodingAgentOptions settings = options.Value;
        bool onGitHub = GitHubRepository.TryParse(repository, settings.Repositories) is not null;
        bool overHttp = cloneUrl.StartsWith("http", StringComparison.OrdinalIgnoreCase);
        return mode switch
        {
            PublishModes.DraftPullRequest when !onGitHub =>
                "'draft_pr' needs a GitHub repository ('owner/name' or an https URL on an allowed host); use 'branch' to push elsewhere.",
            PublishModes.DraftPullRequest or PublishModes.Branch when onGitHub && overHttp && !settings.GitHub.HasCredentials =>
                "Publishing to GitHub needs the deployment's GitHub credentials (CodingAgent__GitHub__Token, or CodingAgent__GitHub__AppId and CodingAgent__GitHub__AppPrivateKey).",
            _ => null,
        };
    }
}
