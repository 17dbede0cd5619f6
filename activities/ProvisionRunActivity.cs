using System.Diagnostics;
using CodingAgent.Model;
using CodingAgent.Application.Provisioning;
using CodingAgent.Application.Workflow;
using CodingAgent.Telemetry;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Activities;

/// <summary>
/// Provisions the run in one durable step: sandbox → clone → bootstrap → OpenCode, each recorded as a phase of its own.
/// One activity instead of four saves three trips through the durable engine's queues and history on every cold start;
/// a retried attempt starts at the first phase that has not succeeded, so the checkpoints of separate steps are kept.
/// </summary>
public sealed class ProvisionRunActivity(SandboxStep sandbox, CloneStep clone, BootstrapStep bootstrap, AgentStartStep agentStart, ProvisioningRunner runner)
{
    [Function(ActivityNames.ProvisionRun)]
    public async Task ProvisionRun([ActivityTrigger] RunKey run, CancellationToken cancellationToken)
    {
        using Activity? span = AgentTelemetry.StartRunSpan(ActivityNames.ProvisionRun, run);
        await runner.RunAsync(run, [sandbox, clone, bootstrap, agentStart], cancellationToken).ConfigureAwait(false);
    }
}
