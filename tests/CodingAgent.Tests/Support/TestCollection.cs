namespace CodingAgent.Tests.Support;

/// <summary>Integration tests share one set of real components and run one at a time (two cores, real processes).</summary>
[CollectionDefinition(Name)]
public sealed class IntegrationCollection : ICollectionFixture<TestEnvironment>
{
    public const string Name = "integration";
}
