namespace CodingAgent.Configuration;

public sealed class RepositoryOptions
{
    public bool AllowLocalPaths { get; set; }

    /// <summary>Hosts an https repository URL may name; <c>owner/name</c> resolves against the first one.</summary>
    public IList<string> AllowedHosts { get; set; } = ["github.com"];

    /// <summary>
    /// Where <c>owner/name</c> repositories are cloned from and pushed to: <c>{this}/{owner}/{name}.git</c>. Default:
    /// <c>https://{first allowed host}</c>. A GitHub Enterprise deployment, or a mirror, sets it.
    /// </summary>
    public string? OwnerNameBaseUrl { get; set; }

    public string OwnerNameBase => (OwnerNameBaseUrl is { Length: > 0 } url ? url : "https://" + (AllowedHosts.FirstOrDefault() ?? "github.com")).TrimEnd('/');
}
