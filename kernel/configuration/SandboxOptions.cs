namespace CodingAgent.Configuration;

public sealed class SandboxOptions
{
    public const string LocalProvider = "local";
    public const string E2BProvider = "e2b";

    /// <summary>Benchmark-only: fakes sandboxes and OpenCode in memory (see <c>sandboxes/benchmark/</c>).</summary>
    public const string BenchmarkProvider = "benchmark";

    /// <summary><c>local</c>, <c>e2b</c> or <c>benchmark</c>; when unset the host picks (self-host: local, Azure: e2b).</summary>
    public string? Provider { get; set; }

    /// <summary>
    /// Tag put on every sandbox this deployment creates, so a janitor never touches another deployment's sandboxes. Unset:
    /// derived from the storage account, task hub and name prefix (<c>Application.SandboxDeploymentName</c>).
    /// </summary>
    public string? Deployment { get; set; }

    public LocalSandboxOptions Local { get; set; } = new();

    public E2BSandboxOptions E2B { get; set; } = new();

    /// <summary>How often the janitor looks for sandboxes of this deployment whose run is no longer active (0: never).</summary>
    public int JanitorIntervalSeconds { get; set; } = 300;
}

public sealed class LocalSandboxOptions
{
    /// <summary>Folder that holds one directory per sandbox; default: a folder under the app's data directory.</summary>
    public string? Root { get; set; }

    /// <summary>
    /// The operator's word that this self-host serves one user: local sandboxes share the machine's user with the control
    /// plane and reach its loopback, so they are no boundary between tenants. The self-host refuses <c>local</c> without it.
    /// </summary>
    public bool AcknowledgeSingleUser { get; set; }
}

/// <summary>The E2B provider (docs/e2b.md).</summary>
public sealed class E2BSandboxOptions
{
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>Template id or alias built from <c>infra/e2b/</c>.</summary>
    public string Template { get; set; } = "coding-agent-opencode";

    /// <summary>Control plane; default <c>https://api.{Domain}</c>.</summary>
    public string? ApiUrl { get; set; }

    public string Domain { get; set; } = "e2b.app";

    /// <summary>
    /// When set, envd and every sandbox port are reached through this one base URL with E2B's shared-host headers
    /// (<c>E2b-Sandbox-Id</c>, <c>E2b-Sandbox-Port</c>) instead of the per-sandbox hosts <c>https://{port}-{id}.{domain}</c>.
    /// </summary>
    public string? SandboxUrl { get; set; }

    /// <summary>False (default): sandbox ports answer only requests carrying the sandbox's traffic access token.</summary>
    public bool AllowPublicTraffic { get; set; }

    /// <summary>The plan's longest sandbox life (E2B: 60 on Hobby, 1440 on Pro); sandboxes are never asked to live longer.</summary>
    public int MaxLifetimeMinutes { get; set; } = 60;

    /// <summary>The window asked for when attaching to a sandbox; attaching only ever extends a sandbox's timeout.</summary>
    public int ConnectTimeoutSeconds { get; set; } = 300;

    public Uri ApiUri => new(ApiUrl is { Length: > 0 } url ? url : "https://api." + Domain);
}
