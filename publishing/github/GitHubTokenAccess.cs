namespace CodingAgent.Publishing.GitHub;

/// <summary>
/// What an installation token may do on its one repository. <see cref="Read"/> clones (<c>contents: read</c>);
/// <see cref="Write"/> publishes: git push and the draft pull request (<c>contents: write</c>, <c>pull_requests: write</c>).
/// GitHub adds <c>metadata: read</c> to every installation token itself.
/// </summary>
public enum GitHubTokenAccess
{
    Read,
    Write,
}
