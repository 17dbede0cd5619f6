using System.Text.Json.Nodes;
using CodingAgent.Hosting;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Hosting;

/// <summary>One set of functions, two hosts: the self-host's catalog must match what the Functions SDK generated.</summary>
public sealed class FunctionCatalogTests
{
    // Every function in the Functions app's functions.metadata is registered by the self-host, with the same trigger and route.
    [Fact]
    public void Discover_MatchesFunctionsMetadataOfTheFunctionsApp()
    {
        string metadataPath = Directory.EnumerateFiles(Path.Combine(RepoRoot.Path, "bin"), "functions.metadata", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .First();
        JsonArray metadata = JsonNode.Parse(File.ReadAllText(metadataPath))!.AsArray();
        var fromFunctionsApp = metadata.Select(f =>
        {
            JsonNode trigger = f!["bindings"]!.AsArray().First(b => ((string)b!["type"]!).EndsWith("Trigger", StringComparison.Ordinal))!;
            return (Name: (string)f["name"]!, Trigger: (string)trigger["type"]!, Route: (string?)trigger["route"]);
        }).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();

        var fromSelfHost = FunctionCatalog.Discover(typeof(CodingAgent.Functions.HealthFunction).Assembly).Select(e => (
            e.Name,
            Trigger: e.Kind switch { FunctionKind.Http => "httpTrigger", FunctionKind.Orchestration => "orchestrationTrigger", FunctionKind.Timer => "timerTrigger", FunctionKind.Queue => "queueTrigger", _ => "activityTrigger" },
            e.Route)).ToList();

        Assert.NotEmpty(fromSelfHost);
        Assert.Equal(fromFunctionsApp, fromSelfHost);
    }
}
