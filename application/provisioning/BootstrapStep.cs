using CodingAgent.Model;
using CodingAgent.Repositories;
using CodingAgent.Sandboxes;

namespace CodingAgent.Application.Provisioning;

/// <summary>Prepares the checkout for the agent: task files kept out of git, a commit identity for later publishing.</summary>
public sealed class BootstrapStep(ISandboxProvider sandboxes) : IProvisioningStep
{
    public string Phase => Phases.Bootstrap;

    public async Task<Func<RunRecord, RunRecord>?> RunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ISandbox sandbox = await SandboxOf.ConnectAsync(sandboxes, run, cancellationToken).ConfigureAwait(false);
        await RepositoryWorkspace.ExcludeTaskFolderAsync(sandbox, cancellationToken).ConfigureAwait(false);
        return null;
    }
}
