using CodingAgent.Application;
using CodingAgent.Model;
using CodingAgent.Application.Workflow;

namespace CodingAgent.Application.Provisioning;

/// <summary>
/// Runs provisioning steps in order, each as a phase of the run: the end of one and the start of the next are one write.
/// Steps that already succeeded (an earlier attempt got that far) are skipped; a failing step marks its phase failed.
/// </summary>
public sealed class ProvisioningRunner(RunProgress progress)
{
    public async Task RunAsync(RunKey run, IReadOnlyList<IProvisioningStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(steps);
        RunRecord record = await progress.GetAsync(run, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Run {run.RunId} does not exist.");
        IProvisioningStep[] remaining = [.. steps.Where(step => !HasSucceeded(record, step.Phase))];
        if (remaining.Length == 0)
        {
            return;
        }

        record = await progress.BeginPhaseAsync(run, remaining[0].Phase, null, RunStatuses.Provisioning, cancellationToken)
            .ConfigureAwait(false);
        for (int i = 0; i < remaining.Length; i++)
        {
            IProvisioningStep step = remaining[i];
            Func<RunRecord, RunRecord>? change;
            try
            {
                change = await step.RunAsync(record, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                await progress.EndPhaseAsync(run, step.Phase, null, RunProgress.Failed, null, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            record = i + 1 < remaining.Length
                ? await progress.HandOverPhaseAsync(run, step.Phase, change, remaining[i + 1].Phase, cancellationToken).ConfigureAwait(false)
                : await progress.EndPhaseAsync(run, step.Phase, null, RunProgress.Succeeded, change, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool HasSucceeded(RunRecord run, string phase) =>
        run.Phases.Any(p => p.Name == phase && p.Turn is null && p.Status == RunProgress.Succeeded);
}
