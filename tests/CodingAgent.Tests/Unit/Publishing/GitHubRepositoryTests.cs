using CodingAgent.Configuration;
using CodingAgent.Publishing.GitHub;

namespace CodingAgent.Tests.Unit.Publishing;

public sealed class GitHubRepositoryTests
{
    private static readonly RepositoryOptions Options = new() { AllowedHosts = ["github.com", "github.example.com"] };

    [Theory]
    [InlineData("acme/widgets", "acme", "widgets")]
    [InlineData("https://github.com/acme/widgets", "acme", "widgets")]
    [InlineData("https://github.example.com/acme/widgets.git", "acme", "widgets")]
    [InlineData("https://github.com/acme/my.repo", "acme", "my.repo")]
    public void TryParse_GitHubRepositories(string repository, string owner, string name) =>
        Assert.Equal(new GitHubRepository(owner, name), GitHubRepository.TryParse(repository, Options));

    [Theory]
    [InlineData("/srv/git/widgets")]
    [InlineData("file:///srv/git/acme/widgets")]
    [InlineData("https://gitlab.com/acme/widgets")]
    [InlineData("https://github.com/acme/widgets/tree/main")]
    [InlineData("")]
    public void TryParse_AnythingElse_IsNotOnGitHub(string repository) =>
        Assert.Null(GitHubRepository.TryParse(repository, Options));
}
