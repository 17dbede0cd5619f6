using System.Text;
using System.Text.RegularExpressions;

namespace CodingAgent.Tests.Support.ScriptedModel;

/// <summary>
/// Recovers the file text from the output of OpenCode's <c>read</c> tool. In 1.18.33 that output is
/// <c>&lt;path&gt;…&lt;/path&gt;\n&lt;type&gt;file&lt;/type&gt;\n&lt;content&gt;\n1: first line\n2: …\n\n(End of file - total N lines)\n&lt;/content&gt;</c>;
/// older versions used <c>&lt;file&gt;</c> and <c>00001| line</c>. Only numbered lines are kept, without their numbers.
/// </summary>
internal static partial class ReadToolOutput
{
    public static string Strip(string output)
    {
        var body = ContentPattern().Match(output) is { Success: true } content ? content.Groups["body"].Value : output;
        var text = new StringBuilder();
        var numbered = 0;
        foreach (var line in body.Split('\n'))
        {
            var match = NumberedLinePattern().Match(line.TrimEnd('\r'));
            if (match.Success)
            {
                text.Append(match.Groups["text"].Value).Append('\n');
                numbered++;
            }
        }

        return numbered > 0 ? text.ToString() : body;
    }

    [GeneratedRegex(@"<(content|file)>\r?\n?(?<body>.*)</\1>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex ContentPattern();

    [GeneratedRegex(@"^\s*\d+(?::|\|) ?(?<text>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberedLinePattern();
}
