namespace CodingAgent.Sandboxes.Local;

/// <summary>
/// The agent's side of one local sandbox, <c>&lt;root&gt;/&lt;id&gt;/</c>: <c>home/</c> (HOME and XDG dirs, the clone in
/// <c>home/repo</c>) and <c>logs/</c> (output of background processes). Everything in it is the agent's to write; the
/// provider's own records live apart, in <see cref="State"/>.
/// </summary>
internal sealed class LocalSandboxLayout(string root, string id)
{
    public string Directory { get; } = Path.Combine(root, id);

    public LocalSandboxState State { get; } = new(root, id);

    public string Home => Path.Combine(Directory, "home");

    public string LogsDirectory => Path.Combine(Directory, "logs");

    public string ConfigHome => Path.Combine(Home, ".config");

    public string DataHome => Path.Combine(Home, ".local", "share");

    public string CacheHome => Path.Combine(Home, ".cache");

    public string StateHome => Path.Combine(Home, ".local", "state");

    public void Create()
    {
        State.Create();
        foreach (string dir in new[] { Home, LogsDirectory, ConfigHome, DataHome, CacheHome, StateHome })
        {
            System.IO.Directory.CreateDirectory(dir);
        }
    }

    /// <summary>
    /// Resolves a sandbox path (absolute, or relative to home) and refuses anything outside home — also through a
    /// symbolic link the agent planted — and anything in the provider's state.
    /// </summary>
    public string Resolve(string path)
    {
        string full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(Home, path));
        string real = RealPaths.Of(full);
        string home = RealPaths.Of(Home);
        if (!Within(full, Home) || !Within(real, home) || Within(real, RealPaths.Of(State.Root)) || Within(full, State.Root))
        {
            throw new SandboxException($"Path '{path}' is outside the sandbox.");
        }

        return full;
    }

    private static bool Within(string path, string directory) =>
        path == directory || path.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
