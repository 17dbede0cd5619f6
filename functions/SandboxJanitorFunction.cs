using CodingAgent.Application;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CodingAgent.Functions;

/// <summary>
/// Every five minutes: fails runs a crash left queued without an orchestration, then kills this deployment's sandboxes
/// whose run is no longer active (the self-host runs the same job).
/// </summary>
public sealed class SandboxJanitorFunction(SandboxJanitor janitor, RunReconciler reconciler)
{
    public const string Schedule = "0 */5 * * * *";

    [Function("SandboxJanitor")]
    public async Task Sweep([TimerTrigger(Schedule)] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        await reconciler.ReconcileAsync(durable, cancellationToken).ConfigureAwait(false);
        await janitor.SweepAsync(cancellationToken).ConfigureAwait(false);
    }
}
