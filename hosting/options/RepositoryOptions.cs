namespace CodingAgent.Hosting.Options;

public sealed class RepositoryOptions
{
    public bool AllowLocalPaths { get; set; }

    /// <summary>Hosts an https repository URL may name; <c>owner/name</c> resolves against the first one.</summary>
    public IList<string> AllowedHosts { get; set; } = ["github.com"];
}
