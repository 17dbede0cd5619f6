namespace CodingAgent.Sandboxes.Local;

/// <summary>
/// The environment of every command in a local sandbox, built from nothing: a few named variables of the control plane,
/// then the sandbox's and the command's own, then HOME and the XDG dirs. Nothing else of the control plane's environment
/// (keys, connection strings, cloud credentials, whatever a host sets) reaches the agent or a validation command.
/// </summary>
internal static class SandboxEnvironment
{
    private static readonly string[] Inherited =
    [
        "PATH", // git, bash, node, dotnet, npm: everything a command runs is found through it
        "LANG", "LC_ALL", // the locale, so tools read and write UTF-8 (other LC_* below)
        "TERM", // tools that colour or page their output ask it
        "TZ", // times in git commits and test output match the host's
        "USER", "LOGNAME", "SHELL", // who and which shell: git, npm and OpenCode's bash tool read them
        "TMPDIR", // where temporary files go, when the host moved it
        "DOTNET_ROOT", // where the .NET runtime is when it is not on a standard path (validation runs dotnet test)
        "SSL_CERT_FILE", "SSL_CERT_DIR", // a host's CA bundle (a path, not a secret), so git and the model client do TLS
    ];

    public static void Build(IDictionary<string, string?> environment, LocalSandboxLayout layout, params IReadOnlyDictionary<string, string>?[] added)
    {
        Dictionary<string, string?> host = environment.ToDictionary();
        environment.Clear();
        foreach ((string name, string? value) in host)
        {
            if (value is not null && (Inherited.Contains(name, StringComparer.Ordinal) || name.StartsWith("LC_", StringComparison.Ordinal)))
            {
                environment[name] = value;
            }
        }

        foreach ((string name, string value) in added.SelectMany(vars => vars ?? new Dictionary<string, string>()))
        {
            environment[name] = value;
        }

        // Last, so no sandbox or command env var can move them.
        environment["HOME"] = layout.Home;
        environment["XDG_CONFIG_HOME"] = layout.ConfigHome;
        environment["XDG_DATA_HOME"] = layout.DataHome;
        environment["XDG_CACHE_HOME"] = layout.CacheHome;
        environment["XDG_STATE_HOME"] = layout.StateHome;
        environment["GIT_TERMINAL_PROMPT"] = "0";
    }
}
