using System.Diagnostics;

namespace CodingAgent.Tests.Support;

/// <summary>A throwaway git repository with one commit on <c>main</c>.</summary>
public sealed class TestRepository : IDisposable
{
    private TestRepository(string path) => Path = path;

    public string Path { get; }

    public static TestRepository Create(IReadOnlyDictionary<string, string>? files = null)
    {
        TestRepository repo = new(Directory.CreateTempSubdirectory("repo-").FullName);
        repo.Git("init", "--quiet", "-b", "main");
        foreach ((string name, string content) in files ?? new Dictionary<string, string> { ["README.md"] = "# Sample\n", ["calc.py"] = "def add(a, b):\n    return a + b\n" })
        {
            File.WriteAllText(System.IO.Path.Combine(repo.Path, name), content);
        }

        repo.Git("add", "-A");
        repo.Git("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "--quiet", "-m", "initial");
        return repo;
    }

    public string Git(params string[] args) => GitIn(Path, args);

    /// <summary>Runs real git in <paramref name="directory"/>; its trimmed output, or an exception with git's error.</summary>
    public static string GitIn(string directory, params string[] args)
    {
        ProcessStartInfo info = new("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Trim() : throw new InvalidOperationException($"git {string.Join(' ', args)}: {error}");
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
