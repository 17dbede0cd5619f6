using CodingAgent.Model;
using CodingAgent.Configuration;

namespace CodingAgent.Application;

/// <summary>Metadata every sandbox carries, so orphans can be found by run and by deployment.</summary>
public static class SandboxTags
{
    public const string RunId = "codingAgentRunId";
    public const string Account = "codingAgentAccount";
    public const string Deployment = "codingAgentDeployment";

    public static Dictionary<string, string> Of(RunRecord run, CodingAgentOptions options) => new()
    {
        [RunId] = run.RunId,
        [Account] = run.Account,
        [Deployment] = SandboxDeploymentName.Of(options),
    };
}
