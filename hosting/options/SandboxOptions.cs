namespace CodingAgent.Hosting.Options;

public sealed class SandboxOptions
{
    public const string LocalProvider = "local";
    public const string E2BProvider = "e2b";

    /// <summary>Benchmark-only: fakes sandboxes and OpenCode in memory (see <c>sandboxes/benchmark/</c>).</summary>
    public const string BenchmarkProvider = "benchmark";

    /// <summary><c>local</c>, <c>e2b</c> or <c>benchmark</c>; when unset the host picks (self-host: local, Azure: e2b).</summary>
    public string? Provider { get; set; }

    /// <summary>Tag put on every sandbox this deployment creates, so a janitor never touches another deployment's sandboxes.</summary>
    public string Deployment { get; set; } = "default";

    public LocalSandboxOptions Local { get; set; } = new();
}

public sealed class LocalSandboxOptions
{
    /// <summary>Folder that holds one directory per sandbox; default: a folder under the app's data directory.</summary>
    public string? Root { get; set; }
}
