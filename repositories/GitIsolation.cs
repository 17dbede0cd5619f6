namespace CodingAgent.Repositories;

/// <summary>
/// The environment of every git command the control plane runs in the sandbox. The agent runs any bash it likes in the
/// checkout, so its <c>.git/config</c>, <c>.git/hooks</c> and home folder are hostile: no system or global configuration
/// is read (<c>~/.gitconfig</c>, <c>$XDG_CONFIG_HOME/git/config</c>), and settings given as command-scope configuration
/// (<c>GIT_CONFIG_COUNT</c>, read after the repository's own, so they win) switch off what would run a command on a
/// commit, checkout, add or diff: hooks, the file-system monitor and commit signing. The push does not read the checkout's
/// configuration at all (<see cref="Publishing.GitBranchPublisher"/>).
/// </summary>
public static class GitIsolation
{
    private static readonly KeyValuePair<string, string>[] Neutralised =
    [
        new("core.hooksPath", "/dev/null"),
        new("core.fsmonitor", "false"),
        new("commit.gpgSign", "false"),
    ];

    /// <summary>
    /// The isolating variables, <paramref name="environment"/> (which must not set <c>GIT_CONFIG_*</c>) and, after the
    /// neutralising settings, <paramref name="config"/>: settings for this one command, kept off its command line.
    /// </summary>
    public static Dictionary<string, string> Environment(
        IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<KeyValuePair<string, string>>? config = null)
    {
        Dictionary<string, string> result = new(environment ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_CONFIG_GLOBAL"] = "/dev/null",
            ["GIT_TERMINAL_PROMPT"] = "0",
        };
        KeyValuePair<string, string>[] settings = [.. Neutralised, .. config ?? []];
        for (int i = 0; i < settings.Length; i++)
        {
            string index = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            result["GIT_CONFIG_KEY_" + index] = settings[i].Key;
            result["GIT_CONFIG_VALUE_" + index] = settings[i].Value;
        }

        result["GIT_CONFIG_COUNT"] = settings.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return result;
    }
}
