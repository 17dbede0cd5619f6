using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CodingAgent.Sandboxes;

namespace CodingAgent.Validation;

/// <summary>
/// What the detection rules look at: the names at the checkout's root, the <c>package.json</c> scripts, the Makefile's
/// targets and the Python tool configuration. Read from the sandbox with one command.
/// </summary>
public sealed partial record RepositoryFacts(
    IReadOnlySet<string> RootEntries,
    IReadOnlyDictionary<string, string> NpmScripts,
    IReadOnlySet<string> MakeTargets,
    string PythonConfig)
{
    private const string Marker = "@@coding-agent:facts:";
    private const int MaxFileBytes = 65_536;
    private static readonly string[] MakefileNames = ["GNUmakefile", "makefile", "Makefile"];
    private static readonly string[] PythonConfigFiles = ["pyproject.toml", "setup.cfg", "tox.ini", "pytest.ini"];
    private static readonly string[] ReadFiles = ["package.json", .. MakefileNames, .. PythonConfigFiles];

    public static readonly RepositoryFacts Empty = new(new HashSet<string>(), new Dictionary<string, string>(), new HashSet<string>(), string.Empty);

    public bool Has(string rootEntry) => RootEntries.Contains(rootEntry);

    public bool HasMakefile => MakefileNames.Any(Has);

    public static async Task<RepositoryFacts> ReadAsync(ISandbox sandbox, string repositoryPath, CancellationToken cancellationToken)
    {
        StringBuilder command = new($"printf '%s\\n' '{Marker}ls'; ls -1A");
        foreach (string file in ReadFiles)
        {
            command.Append($"; printf '\\n%s\\n' '{Marker}{file}'; [ -f {file} ] && head -c {MaxFileBytes} {file}");
        }

        command.Append("; exit 0");
        CommandResult result = await sandbox.RunAsync(new CommandSpec(command.ToString(), repositoryPath, Timeout: TimeSpan.FromMinutes(1)), cancellationToken)
            .ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new SandboxException($"Reading the repository's layout failed: {result.Stderr.Trim()}");
        }

        return Parse(result.Stdout);
    }

    /// <summary>Parses the output of the command <see cref="ReadAsync"/> runs: sections headed by a marker line.</summary>
    public static RepositoryFacts Parse(string output)
    {
        Dictionary<string, string> sections = [];
        string? current = null;
        StringBuilder text = new();
        foreach (string line in (output ?? string.Empty).Split('\n'))
        {
            if (line.StartsWith(Marker, StringComparison.Ordinal))
            {
                if (current is not null)
                {
                    sections[current] = text.ToString();
                }

                current = line[Marker.Length..].TrimEnd('\r');
                text.Clear();
            }
            else if (current is not null)
            {
                text.Append(line).Append('\n');
            }
        }

        if (current is not null)
        {
            sections[current] = text.ToString();
        }

        HashSet<string> entries = [.. sections.GetValueOrDefault("ls", string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        HashSet<string> targets = [];
        foreach (string makefile in MakefileNames.Where(entries.Contains))
        {
            targets.UnionWith(MakeTarget().Matches(sections.GetValueOrDefault(makefile, string.Empty)).Select(m => m.Groups["target"].Value));
        }

        string python = string.Join('\n', PythonConfigFiles.Where(entries.Contains).Select(f => sections.GetValueOrDefault(f, string.Empty)));
        return new RepositoryFacts(entries, NpmScriptsOf(entries.Contains("package.json") ? sections.GetValueOrDefault("package.json") : null), targets, python);
    }

    private static Dictionary<string, string> NpmScriptsOf(string? packageJson)
    {
        Dictionary<string, string> scripts = [];
        if (string.IsNullOrWhiteSpace(packageJson))
        {
            return scripts;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(packageJson);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("scripts", out JsonElement section) && section.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty script in section.EnumerateObject().Where(s => s.Value.ValueKind == JsonValueKind.String))
                {
                    scripts[script.Name] = script.Value.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
            // A package.json that does not parse has no scripts we could run.
        }

        return scripts;
    }

    [GeneratedRegex(@"^(?<target>[A-Za-z0-9_.-]+)\s*:(?!=)", RegexOptions.Multiline)]
    private static partial Regex MakeTarget();
}
