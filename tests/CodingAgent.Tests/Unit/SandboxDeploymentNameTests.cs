using CodingAgent.Application;
using CodingAgent.Configuration;

namespace CodingAgent.Tests.Unit;

/// <summary>The default deployment tag is unique per deployment and never carries a storage secret.</summary>
public sealed class SandboxDeploymentNameTests
{
    private const string Key = "c2VjcmV0LWtleS1ub3QtZm9yLXRhZ3M=";

    [Fact]
    public void Of_ConfiguredName_IsUsedAsItIs()
    {
        CodingAgentOptions options = Options("AccountName=acct;AccountKey=" + Key, "hub", string.Empty);
        options.Sandbox.Deployment = "prod-weu";

        Assert.Equal("prod-weu", SandboxDeploymentName.Of(options));
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=ProdAcct;AccountKey=" + Key + ";EndpointSuffix=core.windows.net", "codingagent", "", "prodacct-codingagent")]
    [InlineData("UseDevelopmentStorage=true", "codingagent", "", "devstoreaccount1-codingagent")]
    [InlineData("BlobEndpoint=https://sasacct.blob.core.windows.net/;TableEndpoint=https://sasacct.table.core.windows.net/;SharedAccessSignature=sv=2024&sig=" + Key, "hub1", "staging", "sasacct-hub1-staging")]
    [InlineData("BlobEndpoint=http://127.0.0.1:10000/emuacct;SharedAccessSignature=sig=" + Key, "hub1", "", "emuacct-hub1")]
    public void Of_Unset_IsDerivedFromAccountTaskHubAndPrefix_WithoutSecrets(string connectionString, string taskHub, string prefix, string expected)
    {
        string name = SandboxDeploymentName.Of(Options(connectionString, taskHub, prefix));

        Assert.Equal(expected, name);
        Assert.DoesNotContain(Key.ToLowerInvariant().TrimEnd('='), name, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_Unset_DiffersBetweenDeploymentsOfOneAccount()
    {
        const string account = "AccountName=shared;AccountKey=" + Key;
        string[] names =
        [
            SandboxDeploymentName.Of(Options(account, "codingagent", string.Empty)),
            SandboxDeploymentName.Of(Options(account, "codingagentdev", string.Empty)),
            SandboxDeploymentName.Of(Options(account, "codingagent", "staging")),
            SandboxDeploymentName.Of(Options("AccountName=other;AccountKey=" + Key, "codingagent", string.Empty)),
        ];

        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
    }

    private static CodingAgentOptions Options(string connectionString, string taskHub, string prefix)
    {
        CodingAgentOptions options = new();
        options.Storage.ConnectionString = connectionString;
        options.Storage.NamePrefix = prefix;
        options.Durable.TaskHub = taskHub;
        return options;
    }
}
