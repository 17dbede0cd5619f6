using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Infrastructure;

/// <summary>The workbook azd deploys and the queries docs/operations.md shows are the same queries, over the product's metric names.</summary>
public sealed partial class DashboardTests
{
    private static readonly string WorkbookPath = Path.Combine(RepoRoot.Path, "infra", "monitoring", "workbook.json");

    [Fact]
    public void OperationsDoc_ShowsExactlyTheWorkbooksQueries()
    {
        string doc = File.ReadAllText(Path.Combine(RepoRoot.Path, "docs", "operations.md"));
        List<string> documented = KustoBlock().Matches(doc).Select(m => m.Groups[1].Value.Trim()).ToList();

        Assert.Equal(WorkbookQueries().Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void WorkbookQueries_NameEveryInstrumentTheProductRecords()
    {
        string queries = string.Join('\n', WorkbookQueries());
        string[] instruments = ["coding_agent.turn.duration", "coding_agent.phase.duration", "coding_agent.sessions",
            "coding_agent.command_queue.depth", "coding_agent.sandbox.seconds", "coding_agent.errors"];
        Assert.All(instruments, name => Assert.Contains($"\"{name}\"", queries, StringComparison.Ordinal));
        string recorded = File.ReadAllText(Path.Combine(RepoRoot.Path, "kernel", "telemetry", "AgentTelemetry.cs"))
            + File.ReadAllText(Path.Combine(RepoRoot.Path, "application", "telemetry", "OperationalGauges.cs"));
        List<string> created = InstrumentNames().Matches(recorded).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(instruments.Order(StringComparer.Ordinal), created.Order(StringComparer.Ordinal));
    }

    private static List<string> WorkbookQueries() => JsonNode.Parse(File.ReadAllText(WorkbookPath))!["items"]!.AsArray()
        .Where(i => (int)i!["type"]! == 3).Select(i => ((string)i!["content"]!["query"]!).Trim()).ToList();

    [GeneratedRegex("```kusto\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex KustoBlock();

    [GeneratedRegex("Create(?:Histogram|Counter|ObservableGauge)(?:<\\w+>)?\\(\\s*\"([^\"]+)\"")]
    private static partial Regex InstrumentNames();
}
