using CodingAgent.Model;
using CodingAgent.Publishing.GitHub;
using CodingAgent.Repositories;
using CodingAgent.Sandboxes;

namespace CodingAgent.Application.Provisioning;

/// <summary>
/// Clones the repository at the run's ref; a GitHub repository is cloned with the deployment's GitHub credentials when it
/// has them, as a read-only token: only a publish asks for one that can write.
/// </summary>
public sealed class CloneStep(ISandboxProvider sandboxes, GitHubAccess github) : IProvisioningStep
{
    public string Phase => Phases.Clone;

    public async Task<Func<RunRecord, RunRecord>?> RunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ISandbox sandbox = await SandboxOf.ConnectAsync(sandboxes, run, cancellationToken).ConfigureAwait(false);
        string? token = await github.GitTokenForAsync(run, GitHubTokenAccess.Read, cancellationToken).ConfigureAwait(false);
        (string resolvedRef, string baseSha) = await RepositoryWorkspace.CloneAsync(sandbox, run.CloneUrl, run.Ref, token, cancellationToken)
            .ConfigureAwait(false);
        return r => r with { Ref = resolvedRef, BaseSha = baseSha };
    }
}
