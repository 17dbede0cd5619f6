using CodingAgent.Application;
using CodingAgent.Application.Model;
using CodingAgent.Orchestrations;
using CodingAgent.Publishing.GitHub;
using CodingAgent.Repositories;
using CodingAgent.Sandboxes;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Activities;

/// <summary>Clones the repository at the run's ref; a GitHub repository is cloned with the deployment's GitHub credentials when it has them.</summary>
public sealed class CloneRepositoryActivity(ISandboxProvider sandboxes, RunProgress progress, GitHubAccess github)
{
    [Function(ActivityNames.CloneRepository)]
    public Task CloneRepository([ActivityTrigger] RunRef run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return progress.RunPhaseAsync<bool>(run.Account, run.RunId, Phases.Clone, null, null, async record =>
        {
            ISandbox sandbox = await SandboxOf.ConnectAsync(sandboxes, record, cancellationToken).ConfigureAwait(false);
            string? token = await github.GitTokenForAsync(record, cancellationToken).ConfigureAwait(false);
            (string resolvedRef, string baseSha) = await RepositoryWorkspace.CloneAsync(sandbox, record.CloneUrl, record.Ref, token, cancellationToken)
                .ConfigureAwait(false);
            return (true, r => r with { Ref = resolvedRef, BaseSha = baseSha });
        }, cancellationToken);
    }
}
