using System.Globalization;

namespace CodingAgent.Sandboxes.Local;

/// <summary>The files of one local sandbox: <c>home/</c> (HOME and XDG dirs), <c>processes/</c> (pid files and output), <c>sandbox.json</c>.</summary>
internal sealed class LocalSandboxLayout(string directory)
{
    public string Directory { get; } = directory;

    public string Home => Path.Combine(Directory, "home");

    public string ProcessesDirectory => Path.Combine(Directory, "processes");

    public string MetadataFile => Path.Combine(Directory, "sandbox.json");

    public void Create()
    {
        foreach (string dir in new[] { Home, ProcessesDirectory, ConfigHome, DataHome, CacheHome, StateHome })
        {
            System.IO.Directory.CreateDirectory(dir);
        }
    }

    public string ConfigHome => Path.Combine(Home, ".config");

    public string DataHome => Path.Combine(Home, ".local", "share");

    public string CacheHome => Path.Combine(Home, ".cache");

    public string StateHome => Path.Combine(Home, ".local", "state");

    public string PidFile(int pid) => Path.Combine(ProcessesDirectory, pid.ToString(CultureInfo.InvariantCulture) + ".pid");

    public IReadOnlyList<int> RegisteredProcessIds() =>
        System.IO.Directory.Exists(ProcessesDirectory)
            ? System.IO.Directory.EnumerateFiles(ProcessesDirectory, "*.pid")
                .Select(f => int.Parse(Path.GetFileNameWithoutExtension(f), CultureInfo.InvariantCulture))
                .ToList()
            : [];

    /// <summary>Resolves a sandbox path (absolute, or relative to home) and refuses anything outside the sandbox.</summary>
    public string Resolve(string path)
    {
        string full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(Home, path));
        if (!full.StartsWith(Directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new SandboxException($"Path '{path}' is outside the sandbox.");
        }

        return full;
    }
}
