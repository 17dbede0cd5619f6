using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CodingAgent.Configuration;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Unit;

/// <summary>The E2B template installs the OpenCode the tests run, and is named what the provider asks for by default.</summary>
public sealed partial class E2BTemplateTests
{
    [Fact]
    public void Template_PinsTheOpenCodeVersionOfPackageJson()
    {
        string dockerfile = File.ReadAllText(Path.Combine(RepoRoot.Path, "infra", "e2b", "e2b.Dockerfile"));
        string tested = (string)JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "package.json")))!["dependencies"]!["opencode-ai"]!;

        Match pinned = PinnedOpenCode().Match(dockerfile);

        Assert.True(pinned.Success, "e2b.Dockerfile installs no pinned opencode-ai");
        Assert.Equal(tested, pinned.Groups["version"].Value);
        Assert.Contains("git", dockerfile, StringComparison.Ordinal);
        Assert.Contains("ripgrep", dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void TemplateReadme_BuildsTheAliasTheProviderUsesByDefault()
    {
        string readme = File.ReadAllText(Path.Combine(RepoRoot.Path, "infra", "e2b", "README.md"));

        Assert.Contains($"e2b template create {new E2BSandboxOptions().Template} ", readme, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"opencode-ai@(?<version>\d+\.\d+\.\d+)\b")]
    private static partial Regex PinnedOpenCode();
}
