using CodingAgent.Application;
using CodingAgent.Configuration;
using Microsoft.Extensions.Options;

namespace CodingAgent.Tests.Support;

/// <summary>
/// The sections of settings a test builds, handed to services the way the host hands them: each section its own
/// <c>IOptions&lt;T&gt;</c>, and the sandbox deployment tag derived when it is not set (the host does that at start).
/// </summary>
public static class OptionSections
{
    public static IOptions<StorageOptions> Storage(this IOptions<CodingAgentOptions> options) => Options.Create(Root(options).Storage);

    public static IOptions<AgentOptions> Agent(this IOptions<CodingAgentOptions> options) => Options.Create(Root(options).Agent);

    public static IOptions<SecretOptions> Secrets(this IOptions<CodingAgentOptions> options) => Options.Create(Root(options).Secrets);

    public static IOptions<LimitOptions> Limits(this IOptions<CodingAgentOptions> options) => Options.Create(Root(options).Limits);

    public static IOptions<RepositoryOptions> Repositories(this IOptions<CodingAgentOptions> options) => Options.Create(Root(options).Repositories);

    public static IOptions<SandboxOptions> Sandbox(this IOptions<CodingAgentOptions> options)
    {
        CodingAgentOptions root = Root(options);
        if (string.IsNullOrEmpty(root.Sandbox.Deployment))
        {
            root.Sandbox.Deployment = SandboxDeploymentName.Derive(root);
        }

        return Options.Create(root.Sandbox);
    }

    private static CodingAgentOptions Root(IOptions<CodingAgentOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Value;
    }
}
