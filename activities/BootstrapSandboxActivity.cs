using CodingAgent.Application;
using CodingAgent.Application.Model;
using CodingAgent.Orchestrations;
using CodingAgent.Repositories;
using CodingAgent.Sandboxes;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Activities;

/// <summary>Prepares the checkout for the agent: task files kept out of git, a commit identity for later publishing.</summary>
public sealed class BootstrapSandboxActivity(ISandboxProvider sandboxes, RunProgress progress)
{
    [Function(ActivityNames.BootstrapSandbox)]
    public Task BootstrapSandbox([ActivityTrigger] RunRef run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return progress.RunPhaseAsync<bool>(run.Account, run.RunId, Phases.Bootstrap, null, null, async record =>
        {
            ISandbox sandbox = await SandboxOf.ConnectAsync(sandboxes, record, cancellationToken).ConfigureAwait(false);
            await RepositoryWorkspace.ExcludeTaskFolderAsync(sandbox, cancellationToken).ConfigureAwait(false);
            return (true, null);
        }, cancellationToken);
    }
}
