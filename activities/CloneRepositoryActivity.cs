using CodingAgent.Application;
using CodingAgent.Application.Model;
using CodingAgent.Orchestrations;
using CodingAgent.Repositories;
using CodingAgent.Sandboxes;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Activities;

public sealed class CloneRepositoryActivity(ISandboxProvider sandboxes, RunProgress progress)
{
    [Function(ActivityNames.CloneRepository)]
    public Task CloneRepository([ActivityTrigger] RunRef run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return progress.RunPhaseAsync<bool>(run.Account, run.RunId, Phases.Clone, null, null, async record =>
        {
            ISandbox sandbox = await SandboxOf.ConnectAsync(sandboxes, record, cancellationToken).ConfigureAwait(false);
            (string resolvedRef, string baseSha) = await RepositoryWorkspace.CloneAsync(sandbox, record.CloneUrl, record.Ref, cancellationToken)
                .ConfigureAwait(false);
            return (true, r => r with { Ref = resolvedRef, BaseSha = baseSha });
        }, cancellationToken);
    }
}
