using System.Text.RegularExpressions;

namespace CodingAgent.Tests.Support.ScriptedModel;

/// <summary>Finds a task file reference (<c>…/.coding-agent/….md</c>) in a user prompt.</summary>
internal static partial class TaskFileLocator
{
    public static string? Find(string? userText, string? workingDirectory)
    {
        if (string.IsNullOrEmpty(userText))
        {
            return null;
        }

        var match = TaskPathPattern().Match(userText);
        return match.Success ? PathResolver.MakeAbsolute(match.Value, workingDirectory) : null;
    }

    [GeneratedRegex(@"[^\s'""`<>()]*\.coding-agent[/\\][^\s'""`<>()]*?\.md(?![\w-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TaskPathPattern();
}
