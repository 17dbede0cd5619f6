namespace CodingAgent.Model;

public static class PublishModes
{
    public const string None = "none";
    public const string Branch = "branch";
    public const string DraftPullRequest = "draft_pr";
}

public static class PublishStatuses
{
    public const string Pushed = "pushed";

    /// <summary>The turn left nothing new to push.</summary>
    public const string Unchanged = "unchanged";

    /// <summary>Not published this turn: an automatic fix turn follows and publishes instead.</summary>
    public const string Deferred = "deferred";

    public const string Failed = "failed";
}

/// <summary>What a run has published so far: its branch, the commit last pushed, and its draft pull request.</summary>
public sealed record PublishState(string Branch, string? HeadSha = null, string? PullRequestUrl = null, int? PullRequestNumber = null);

/// <summary>One turn's publish: what happened, and where the branch and pull request stand afterwards.</summary>
public sealed record PublishResult(string Status, string Branch, string? HeadSha, string? PullRequestUrl, string? Message = null);
