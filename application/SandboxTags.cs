using CodingAgent.Model;
using CodingAgent.Configuration;

namespace CodingAgent.Application;

/// <summary>Metadata every sandbox carries, so orphans can be found by run and by deployment.</summary>
public static class SandboxTags
{
    public const string RunId = "codingAgentRunId";
    public const string Account = "codingAgentAccount";
    public const string Deployment = "codingAgentDeployment";

    public static Dictionary<string, string> Of(RunRecord run, SandboxOptions options) => new()
    {
        [RunId] = run.RunId,
        [Account] = run.Account,
        [Deployment] = DeploymentOf(options),
    };

    /// <summary>This deployment's tag value; the host derives it at start when it is not configured.</summary>
    public static string DeploymentOf(SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Deployment is { Length: > 0 } deployment
            ? deployment
            : throw new InvalidOperationException("CodingAgent:Sandbox:Deployment is not set; the host derives it at start (SandboxDeploymentName).");
    }
}
