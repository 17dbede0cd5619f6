using CodingAgent.Configuration;

namespace CodingAgent.Hosting;

/// <summary>Which host runs the functions; it decides defaults and what the host refuses to start with (docs/security.md).</summary>
public sealed record HostProfile(string Name, string DefaultSandboxProvider, bool MultiTenant, bool RunsAgents = true)
{
    /// <summary>Azure Functions: many tenants share it, so only E2B sandboxes, no local paths, a configured encryption key.</summary>
    public static readonly HostProfile Functions = new("Azure Functions", SandboxOptions.E2BProvider, MultiTenant: true);

    /// <summary>The self-host on one machine: local sandboxes only with the operator's single-user acknowledgement.</summary>
    public static readonly HostProfile SelfHost = new("self-host", SandboxOptions.LocalProvider, MultiTenant: false);

    /// <summary>The self-host's command-line entry (keys, accounts): storage only, it never starts a sandbox.</summary>
    public static readonly HostProfile CommandLine = new("command line", SandboxOptions.LocalProvider, MultiTenant: false, RunsAgents: false);
}
