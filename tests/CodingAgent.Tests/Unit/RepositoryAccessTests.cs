using CodingAgent.Tests.Support;
using CodingAgent.Application;
using CodingAgent.Configuration;
using CodingAgent.Storage;
using Microsoft.Extensions.Options;

namespace CodingAgent.Tests.Unit;

public sealed class RepositoryAccessTests
{
    private static RepositoryAccess On(string? ownerNameBase = null)
    {
        IOptions<CodingAgentOptions> options = Options.Create(new CodingAgentOptions
        {
            Repositories = new RepositoryOptions { OwnerNameBaseUrl = ownerNameBase },
            Storage = new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" },
        });
        return new RepositoryAccess(new AccountStore(new StorageClients(options.Storage())), options.Repositories());
    }

    [Theory]
    [InlineData("acme/widgets", "https://github.com/acme/widgets.git", true)]
    [InlineData("ACME/Widgets", "https://github.com/acme/widgets.git", true)]
    [InlineData("acme/*", "https://github.com/acme/widgets.git", true)]
    [InlineData("acme/*", "https://github.com/acme-evil/widgets.git", false)]
    [InlineData("acme/*", "https://github.com/acme/widgets/extra.git", false)]
    [InlineData("acme/widgets", "https://github.com/acme/widgets-2.git", false)]
    [InlineData("acme/widgets", "https://gitlab.com/acme/widgets.git", false)]
    [InlineData("gitlab.com/acme/*", "https://gitlab.com/acme/widgets.git", true)]
    [InlineData("*", "https://gitlab.com/anyone/anything.git", true)]
    [InlineData("not a pattern", "https://github.com/acme/widgets.git", false)]
    public void Allows_PatternAgainstCloneUrl(string pattern, string cloneUrl, bool allowed) =>
        Assert.Equal(allowed, On().Allows([pattern], cloneUrl));

    [Fact]
    public void Allows_NoPatterns_RefusesEveryRemote() => Assert.False(On().Allows([], "https://github.com/acme/widgets.git"));

    [Fact]
    public void Allows_OwnerNameOnAnEnterpriseBase_MatchesThatHostOnly()
    {
        RepositoryAccess access = On("https://ghe.example.com/git");

        Assert.True(access.Allows(["acme/*"], "https://ghe.example.com/git/acme/widgets.git"));
        Assert.False(access.Allows(["acme/*"], "https://github.com/acme/widgets.git"));
    }

    [Theory]
    [InlineData("acme/widgets", "acme/widgets")]
    [InlineData(" /Acme/* ", "acme/*")]
    [InlineData("ghe.example.com/acme/app", "ghe.example.com/acme/app")]
    [InlineData("*", "*")]
    [InlineData("acme", null)]
    [InlineData("acme/*/x", null)]
    [InlineData("*/*", null)]
    [InlineData("acme/wid gets", null)]
    public void Canonical_StoresPatternsOnly(string pattern, string? stored) => Assert.Equal(stored, On().Canonical(pattern));
}
