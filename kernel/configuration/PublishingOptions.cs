namespace CodingAgent.Configuration;

/// <summary>How turns are committed and pushed (<c>branch</c> / <c>draft_pr</c>, docs/publishing.md).</summary>
public sealed class PublishingOptions
{
    public string AuthorName { get; set; } = "Coding Agent";

    public string AuthorEmail { get; set; } = "coding-agent@users.noreply.github.com";

    /// <summary>Committer identity; the author's when unset.</summary>
    public string? CommitterName { get; set; }

    public string? CommitterEmail { get; set; }

    /// <summary>The branch a run pushes to when <c>publish.branch</c> is not given: this prefix + the run id.</summary>
    public string BranchPrefix { get; set; } = "coding-agent/";

    /// <summary>The API's public base URL (…/api/v1/coding-agent) for links to a run; default: the URL the run was created through.</summary>
    public string? PublicApiBaseUrl { get; set; }

    public int PushTimeoutSeconds { get; set; } = 300;
}
