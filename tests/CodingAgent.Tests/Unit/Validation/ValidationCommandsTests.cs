using CodingAgent.Model;
using CodingAgent.Validation;

namespace CodingAgent.Tests.Unit.Validation;

/// <summary>The detection rules of docs/validation.md, rule by rule and in their order.</summary>
public sealed class ValidationCommandsTests
{
    private static RepositoryFacts Facts(string[] entries, Dictionary<string, string>? scripts = null, string[]? makeTargets = null, string python = "") =>
        new(new HashSet<string>(entries), scripts ?? [], new HashSet<string>(makeTargets ?? []), python);

    [Theory]
    [InlineData(new[] { "App.csproj" }, "dotnet test")]
    [InlineData(new[] { "App.sln", "src" }, "dotnet test")]
    [InlineData(new[] { "App.sln", "Tools.csproj" }, "dotnet test 'App.sln'")]
    [InlineData(new[] { "B.slnx", "A.sln" }, "dotnet test 'A.sln'")]
    [InlineData(new[] { "go.mod", "main.go" }, "go test ./...")]
    [InlineData(new[] { "Cargo.toml", "src" }, "cargo test")]
    [InlineData(new[] { "pytest.ini" }, "python3 -m pytest -q")]
    [InlineData(new[] { "conftest.py" }, "python3 -m pytest -q")]
    [InlineData(new[] { "pyproject.toml", "tests" }, "python3 -m pytest -q")]
    [InlineData(new[] { "README.md" }, null)]
    public void TestCommand_ByRootEntries(string[] entries, string? expected) =>
        Assert.Equal(expected, ValidationCommands.TestCommand(Facts(entries)));

    [Fact]
    public void TestCommand_NpmTestScript_IsNpmTest_WithCleanInstallOnlyWhenALockAndNoModules()
    {
        Dictionary<string, string> scripts = new() { ["test"] = "node --test" };
        Assert.Equal("npm test", ValidationCommands.TestCommand(Facts(["package.json"], scripts)));
        Assert.Equal("npm ci --no-audit --no-fund && npm test", ValidationCommands.TestCommand(Facts(["package.json", "package-lock.json"], scripts)));
        Assert.Equal("npm test", ValidationCommands.TestCommand(Facts(["package.json", "package-lock.json", "node_modules"], scripts)));
    }

    [Fact]
    public void TestCommand_NpmPlaceholderScript_IsNotATestCommand() =>
        Assert.Null(ValidationCommands.TestCommand(Facts(["package.json"], new() { ["test"] = "echo \"Error: no test specified\" && exit 1" })));

    [Fact]
    public void TestCommand_PytestConfiguredInPyproject_IsPytest() =>
        Assert.Equal("python3 -m pytest -q", ValidationCommands.TestCommand(Facts(["pyproject.toml"], python: "[tool.pytest.ini_options]\nminversion = \"6.0\"")));

    [Fact]
    public void TestCommand_MakefileNeedsATestTarget()
    {
        Assert.Equal("make test", ValidationCommands.TestCommand(Facts(["Makefile"], makeTargets: ["all", "test"])));
        Assert.Null(ValidationCommands.TestCommand(Facts(["Makefile"], makeTargets: ["all"])));
    }

    [Fact]
    public void TestCommand_EarlierRuleWins_DotnetBeforeNpmBeforeMake() =>
        Assert.Equal("dotnet test", ValidationCommands.TestCommand(Facts(["App.csproj", "package.json", "Makefile"], new() { ["test"] = "jest" }, ["test"])));

    [Theory]
    [InlineData(new[] { "App.csproj" }, "dotnet build")]
    [InlineData(new[] { "Cargo.toml" }, "cargo build")]
    [InlineData(new[] { "go.mod" }, "go build ./...")]
    [InlineData(new[] { "Makefile" }, "make")]
    [InlineData(new[] { "pyproject.toml" }, null)]
    public void BuildCommand_ByRootEntries(string[] entries, string? expected) =>
        Assert.Equal(expected, ValidationCommands.BuildCommand(Facts(entries)));

    [Fact]
    public void BuildCommand_NpmBuildScriptOnly()
    {
        Assert.Equal("npm run build", ValidationCommands.BuildCommand(Facts(["package.json"], new() { ["build"] = "tsc" })));
        Assert.Null(ValidationCommands.BuildCommand(Facts(["package.json"], new() { ["test"] = "jest" })));
    }

    [Fact]
    public void For_ConfiguredCommandReplacesDetection_MinimalRunsNothing()
    {
        RepositoryFacts dotnet = Facts(["App.csproj"]);
        Assert.Equal("./ci.sh", ValidationCommands.For(ValidationModes.Tests, dotnet, "./ci.sh"));
        Assert.Equal("dotnet build", ValidationCommands.For(ValidationModes.Basic, dotnet));
        Assert.Null(ValidationCommands.For(ValidationModes.Minimal, dotnet, "./ci.sh"));
    }
}
