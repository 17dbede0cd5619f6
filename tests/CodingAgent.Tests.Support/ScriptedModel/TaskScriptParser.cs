using System.Globalization;
using System.Text.RegularExpressions;

namespace CodingAgent.Tests.Support.ScriptedModel;

/// <summary>Turns task text into directives; lines that are not directives are ignored.</summary>
internal static partial class TaskScriptParser
{
    public static IReadOnlyList<ScriptDirective> Parse(string taskText)
    {
        var directives = new List<ScriptDirective>();
        foreach (var rawLine in taskText.Split('\n'))
        {
            var directive = ParseLine(rawLine.Trim());
            if (directive is not null)
            {
                directives.Add(directive);
            }
        }

        return directives;
    }

    private static ScriptDirective? ParseLine(string line)
    {
        Match match;
        if ((match = EditPattern().Match(line)).Success)
        {
            return new EditDirective(match.Groups["path"].Value.Trim(), match.Groups["old"].Value.Trim(), match.Groups["new"].Value.Trim());
        }

        if ((match = WritePattern().Match(line)).Success)
        {
            return new WriteDirective(match.Groups["path"].Value.Trim(), match.Groups["content"].Value.Trim());
        }

        if ((match = BashPattern().Match(line)).Success)
        {
            return new BashDirective(match.Groups["command"].Value.Trim());
        }

        if ((match = SleepPattern().Match(line)).Success)
        {
            return new SleepDirective(TimeSpan.FromMilliseconds(int.Parse(match.Groups["ms"].Value, CultureInfo.InvariantCulture)));
        }

        if ((match = FailPattern().Match(line)).Success)
        {
            return new FailDirective(int.Parse(match.Groups["status"].Value, CultureInfo.InvariantCulture));
        }

        if ((match = SayPattern().Match(line)).Success)
        {
            return new SayDirective(match.Groups["text"].Value.Trim());
        }

        return null;
    }

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    [GeneratedRegex(@"^write\s+(?<path>[^:]+?)\s*:\s?(?<content>.*)$", Options)]
    private static partial Regex WritePattern();

    [GeneratedRegex(@"^edit\s+(?<path>[^:]+?)\s*:\s?(?<old>.*?)\s=>\s(?<new>.*)$", Options)]
    private static partial Regex EditPattern();

    [GeneratedRegex(@"^bash\s*:\s*(?<command>\S.*)$", Options)]
    private static partial Regex BashPattern();

    [GeneratedRegex(@"^sleep\s+(?<ms>\d{1,9})\s*(ms)?$", Options)]
    private static partial Regex SleepPattern();

    [GeneratedRegex(@"^fail\s+(?<status>[1-5]\d\d)$", Options)]
    private static partial Regex FailPattern();

    [GeneratedRegex(@"^say\s+(?<text>\S.*)$", Options)]
    private static partial Regex SayPattern();
}
