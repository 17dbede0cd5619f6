using System.Reflection;
using System.Text.RegularExpressions;
using CodingAgent.Model;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Unit;

/// <summary>
/// Statuses, phases, end reasons, phase outcomes and error codes are used through their constants: a raw literal of one of
/// them in the product's own layers fails here (the agent and sandbox folders speak external wire formats and are left out).
/// </summary>
public sealed partial class VocabularyTests
{
    private static readonly Type[] Vocabularies =
        [typeof(RunStatuses), typeof(TurnStatuses), typeof(Phases), typeof(EndReasons), typeof(PhaseOutcomes), typeof(ErrorCodes)];

    private static readonly string[] ProductLayers = ["kernel", "activities", "application", "orchestrations", "functions", "api", "gateway", "storage", "validation", "publishing", "hosting"];

    [Fact]
    public void ProductCode_NamesNoStatusPhaseOrErrorCodeByRawLiteral()
    {
        HashSet<string> words = Vocabularies
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);
        List<string> raw = [];
        foreach (string file in ProductLayers.SelectMany(layer => Directory.EnumerateFiles(Path.Combine(RepoRoot.Path, layer), "*.cs", SearchOption.AllDirectories))
            .Where(f => !IsBuildOutput(f)))
        {
            if (DefinesVocabulary(file))
            {
                continue;
            }

            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                // Comments may quote the wire; a const is where a vocabulary of its own is defined.
                string code = lines[i].TrimStart();
                if (code.StartsWith("//", StringComparison.Ordinal) || code.Contains("const string", StringComparison.Ordinal))
                {
                    continue;
                }

                raw.AddRange(Literal().Matches(lines[i]).Select(m => m.Groups["word"].Value).Where(words.Contains)
                    .Select(word => $"{Path.GetRelativePath(RepoRoot.Path, file)}:{i + 1} \"{word}\""));
            }
        }

        Assert.True(raw.Count == 0, "Use the constants instead of:\n" + string.Join('\n', raw));
    }

    private static bool IsBuildOutput(string file) =>
        Path.GetRelativePath(RepoRoot.Path, file).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj");

    private static bool DefinesVocabulary(string file) =>
        file.Contains($"{Path.DirectorySeparatorChar}model{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || Path.GetFileName(file) == "ProblemCodes.cs";

    // A whole string literal of lower-case words and underscores (a vocabulary word is always one).
    [GeneratedRegex("(?<![@$\\w])\"(?<word>[a-z][a-z_]*)\"")]
    private static partial Regex Literal();
}
