using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Publishing.GitHub;
using CodingAgent.Sandboxes;
using CodingAgent.Storage;
using Microsoft.Extensions.Options;

namespace CodingAgent.Publishing;

/// <summary>
/// Publishes a turn: <c>branch</c> commits and pushes to the run's branch; <c>draft_pr</c> also opens a draft pull
/// request the first time something is pushed, and later turns push to the same branch. A publish that cannot succeed
/// (the remote branch moved, GitHub refused) is a failed result with a readable message, not an exception.
/// </summary>
public sealed class TurnPublisher(
    GitBranchPublisher git, GitHubAccess github, GitHubApiClient api, PromptStore prompts, IOptions<PublishingOptions> options)
{
    public async Task<(PublishResult Result, PublishState State)> PublishAsync(ISandbox sandbox, RunRecord run, TurnRecord turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(turn);
        PublishState state = run.Publish ?? new PublishState(options.Value.BranchPrefix + run.RunId);
        try
        {
            string prompt = await prompts.GetAsync(run.RunId, turn.Turn, cancellationToken).ConfigureAwait(false);
            string? token = await github.GitTokenForAsync(run, GitHubTokenAccess.Write, cancellationToken).ConfigureAwait(false);
            string? pushed = await git.CommitAndPushAsync(sandbox, run.CloneUrl, state.Branch, PublishTexts.CommitMessage(run, turn, prompt), run.BaseSha!, state.HeadSha, token, cancellationToken)
                .ConfigureAwait(false);
            state = pushed is null ? state : state with { HeadSha = pushed };
            if (run.PublishMode == PublishModes.DraftPullRequest && state.PullRequestUrl is null && state.HeadSha is not null)
            {
                PullRequest pullRequest = await OpenPullRequestAsync(sandbox, run, turn, state.Branch, cancellationToken).ConfigureAwait(false);
                state = state with { PullRequestUrl = pullRequest.Url, PullRequestNumber = pullRequest.Number };
            }

            return (new PublishResult(pushed is null ? PublishStatuses.Unchanged : PublishStatuses.Pushed, state.Branch, state.HeadSha, state.PullRequestUrl), state);
        }
        catch (PublishException failure)
        {
            return (new PublishResult(PublishStatuses.Failed, state.Branch, state.HeadSha, state.PullRequestUrl, failure.Message), state);
        }
    }

    /// <summary>The branch's open pull request if a previous attempt already opened it, else a new draft one.</summary>
    private async Task<PullRequest> OpenPullRequestAsync(ISandbox sandbox, RunRecord run, TurnRecord turn, string branch, CancellationToken cancellationToken)
    {
        GitHubRepository repository = github.RepositoryOf(run)
            ?? throw new PublishException($"'{run.Repository}' is not a repository on the configured GitHub, so no pull request can be opened.");
        string token = await github.ApiTokenForAsync(repository, cancellationToken).ConfigureAwait(false);
        if (await api.FindOpenPullRequestAsync(repository, branch, token, cancellationToken).ConfigureAwait(false) is { } open)
        {
            return open;
        }

        string baseBranch = run.Ref is { Length: > 0 } gitRef && await git.IsRemoteBranchAsync(sandbox, gitRef, cancellationToken).ConfigureAwait(false)
            ? gitRef
            : await api.GetDefaultBranchAsync(repository, token, cancellationToken).ConfigureAwait(false);
        string task = await prompts.GetAsync(run.RunId, 1, cancellationToken).ConfigureAwait(false);
        string? apiBase = options.Value.PublicApiBaseUrl is { Length: > 0 } configured ? configured.TrimEnd('/') : run.ApiBaseUrl;
        string? runLink = apiBase is null ? null : $"{apiBase}/runs/{run.RunId}";
        return await api.CreateDraftPullRequestAsync(repository, branch, baseBranch, PublishTexts.PullRequestTitle(task),
            PublishTexts.PullRequestBody(run, turn, runLink), token, cancellationToken).ConfigureAwait(false);
    }
}
