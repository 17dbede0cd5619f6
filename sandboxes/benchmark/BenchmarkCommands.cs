using System.Text.RegularExpressions;

namespace CodingAgent.Sandboxes.Benchmark;

/// <summary>
/// Canned answers to the shell commands the product sends a sandbox (<c>RepositoryWorkspace</c>, <c>OpenCodeLauncher</c>),
/// recognised by what they run: a clone "succeeds" without touching the network, <c>HEAD</c> is a fixed commit on
/// <c>main</c>, the working tree never changes (empty numstat, empty diff), anything else exits 0.
/// </summary>
internal sealed partial class BenchmarkCommands
{
    public const string HeadSha = "0b5e7c1d2a3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d";
    public const string Branch = "main";

    private int cloned;

    public static bool IsOpenCodeServe(string command) => OpenCodeServe().IsMatch(command);

    public CommandResult Answer(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (RepositoryCheck().IsMatch(command))
        {
            return Exit(Volatile.Read(ref cloned) == 1 ? 0 : 1);
        }

        if (command.Contains("git clone", StringComparison.Ordinal))
        {
            Volatile.Write(ref cloned, 1);
            return Exit(0);
        }

        if (command.Contains("git rev-parse --abbrev-ref HEAD", StringComparison.Ordinal))
        {
            return Exit(0, Branch + "\n");
        }

        if (command.Trim() == "git rev-parse HEAD")
        {
            return Exit(0, HeadSha + "\n");
        }

        return Exit(0); // exclude setup, numstat and the patch diff (nothing changed), checkout, mv, anything else
    }

    private static CommandResult Exit(int code, string stdout = "") => new(code, stdout, string.Empty, TimedOut: false);

    [GeneratedRegex(@"^\s*test -d \S+/\.git\s*$")]
    private static partial Regex RepositoryCheck();

    [GeneratedRegex(@"opencode[^\s/']*'?\s+serve(\s|$)")]
    private static partial Regex OpenCodeServe();
}
