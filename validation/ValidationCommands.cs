using CodingAgent.Model;

namespace CodingAgent.Validation;

/// <summary>
/// The detection rules (docs/validation.md): which build or test command a repository gets, from what is at its root.
/// The first rule that matches wins; a configured <c>validation.command</c> replaces detection.
/// </summary>
public static class ValidationCommands
{
    /// <summary>npm's placeholder test script (<c>npm init</c>), which only fails.</summary>
    private const string NpmPlaceholder = "no test specified";

    private static readonly string[] DotnetSolutions = [".sln", ".slnx"];
    private static readonly string[] DotnetProjects = [".csproj", ".fsproj", ".vbproj"];

    /// <summary>The command for <paramref name="mode"/> (null: nothing detected, or a mode that runs no command).</summary>
    public static string? For(string mode, RepositoryFacts facts, string? configured = null)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (mode == ValidationModes.Minimal)
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        return mode == ValidationModes.Tests ? TestCommand(facts) : BuildCommand(facts);
    }

    public static string? TestCommand(RepositoryFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (DotnetTarget(facts) is { } dotnet)
        {
            return "dotnet test" + dotnet;
        }

        if (facts.NpmScripts.TryGetValue("test", out string? test) && !test.Contains(NpmPlaceholder, StringComparison.Ordinal))
        {
            return NpmInstall(facts) + "npm test";
        }

        if (UsesPytest(facts))
        {
            return "python3 -m pytest -q";
        }

        if (facts.Has("go.mod"))
        {
            return "go test ./...";
        }

        if (facts.Has("Cargo.toml"))
        {
            return "cargo test";
        }

        return facts.HasMakefile && facts.MakeTargets.Contains("test") ? "make test" : null;
    }

    public static string? BuildCommand(RepositoryFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (DotnetTarget(facts) is { } dotnet)
        {
            return "dotnet build" + dotnet;
        }

        if (facts.NpmScripts.ContainsKey("build"))
        {
            return NpmInstall(facts) + "npm run build";
        }

        if (facts.Has("Cargo.toml"))
        {
            return "cargo build";
        }

        if (facts.Has("go.mod"))
        {
            return "go build ./...";
        }

        return facts.HasMakefile ? "make" : null;
    }

    /// <summary>
    /// Null without a .NET solution or project at the root; else what follows <c>dotnet test</c>: nothing when it is the only
    /// one, the solution when several files would make dotnet refuse to choose.
    /// </summary>
    private static string? DotnetTarget(RepositoryFacts facts)
    {
        List<string> solutions = [.. facts.RootEntries.Where(e => DotnetSolutions.Any(x => e.EndsWith(x, StringComparison.OrdinalIgnoreCase))).Order(StringComparer.Ordinal)];
        List<string> projects = [.. facts.RootEntries.Where(e => DotnetProjects.Any(x => e.EndsWith(x, StringComparison.OrdinalIgnoreCase))).Order(StringComparer.Ordinal)];
        if (solutions.Count + projects.Count == 0)
        {
            return null;
        }

        return solutions.Count + projects.Count == 1 ? string.Empty : " " + Sandboxes.ShellQuote.Of(solutions.Count > 0 ? solutions[0] : projects[0]);
    }

    /// <summary>Dependencies from the lock file when they are not installed yet; <c>npm ci</c> never rewrites the lock, so the patch stays clean.</summary>
    private static string NpmInstall(RepositoryFacts facts) =>
        facts.Has("package-lock.json") && !facts.Has("node_modules") ? "npm ci --no-audit --no-fund && " : string.Empty;

    private static bool UsesPytest(RepositoryFacts facts) =>
        facts.Has("pytest.ini") || facts.Has("conftest.py")
        || facts.PythonConfig.Contains("[tool.pytest", StringComparison.Ordinal)
        || facts.PythonConfig.Contains("[tool:pytest]", StringComparison.Ordinal)
        || facts.PythonConfig.Contains("[pytest]", StringComparison.Ordinal)
        || ((facts.Has("pyproject.toml") || facts.Has("setup.py")) && (facts.Has("tests") || facts.Has("test")));
}
