using CodingAgent.Application;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Functions;

/// <summary>Every five minutes, kills this deployment's sandboxes whose run is no longer active (the self-host runs the same job).</summary>
public sealed class SandboxJanitorFunction(SandboxJanitor janitor)
{
    public const string Schedule = "0 */5 * * * *";

    [Function("SandboxJanitor")]
    public Task Sweep([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        janitor.SweepAsync(cancellationToken);
}
