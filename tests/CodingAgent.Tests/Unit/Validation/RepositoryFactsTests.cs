using CodingAgent.Validation;

namespace CodingAgent.Tests.Unit.Validation;

/// <summary>Parsing what the facts command prints: marker-headed sections for the listing and each file read.</summary>
public sealed class RepositoryFactsTests
{
    private const string Marker = "@@coding-agent:facts:";

    private static string Output(string listing, params (string File, string Content)[] files) =>
        $"{Marker}ls\n{listing}" + string.Concat(files.Select(f => $"\n{Marker}{f.File}\n{f.Content}"));

    [Fact]
    public void Parse_ListingScriptsTargetsAndPythonConfig()
    {
        RepositoryFacts facts = RepositoryFacts.Parse(Output("package.json\nMakefile\npyproject.toml\n.git\n",
            ("package.json", "{\"name\":\"x\",\"scripts\":{\"test\":\"node test.js\",\"build\":\"tsc\",\"n\":1}}"),
            ("Makefile", "CC := gcc\nall: build\n\ntest: all\n\t./run-tests\n.PHONY: test\nbuild:\n"),
            ("pyproject.toml", "[tool.pytest.ini_options]\n")));

        Assert.True(facts.Has("package.json"));
        Assert.True(facts.Has(".git"));
        Assert.Equal(new Dictionary<string, string> { ["test"] = "node test.js", ["build"] = "tsc" }, facts.NpmScripts);
        Assert.Equal(new HashSet<string> { "all", "test", ".PHONY", "build" }, facts.MakeTargets);
        Assert.DoesNotContain("CC", facts.MakeTargets);
        Assert.Contains("[tool.pytest", facts.PythonConfig, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FilesNotInTheListingAreIgnored_BrokenJsonHasNoScripts()
    {
        RepositoryFacts facts = RepositoryFacts.Parse(Output("package.json\n", ("package.json", "{ not json"), ("Makefile", "test:\n")));

        Assert.Empty(facts.NpmScripts);
        Assert.False(facts.HasMakefile);
        Assert.Empty(facts.MakeTargets);
    }

    [Fact]
    public void Parse_EmptyOutput_IsAnEmptyRepository() =>
        Assert.Empty(RepositoryFacts.Parse(string.Empty).RootEntries);
}
