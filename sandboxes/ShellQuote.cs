namespace CodingAgent.Sandboxes;

/// <summary>Single-quotes a value for the sandbox's bash, so commands never interpret user-supplied text.</summary>
public static class ShellQuote
{
    public static string Of(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
