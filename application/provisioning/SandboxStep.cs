using CodingAgent.Application;
using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Repositories;
using CodingAgent.Sandboxes;
using Microsoft.Extensions.Options;

namespace CodingAgent.Application.Provisioning;

/// <summary>Creates the run's sandbox, or finds the one an earlier attempt created (sandboxes are tagged with the run id).</summary>
public sealed class SandboxStep(ISandboxProvider sandboxes, IOptions<SandboxOptions> options) : IProvisioningStep
{
    public const string Template = "opencode";

    public string Phase => Phases.Sandbox;

    public async Task<Func<RunRecord, RunRecord>?> RunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ISandbox sandbox = await FindExistingAsync(run, cancellationToken).ConfigureAwait(false)
            ?? await sandboxes.CreateAsync(Request(run), cancellationToken).ConfigureAwait(false);
        AgentLocation location = new(sandbox.Id, RepositoryWorkspace.PathIn(sandbox), null, null, null);
        return r => r with { Agent = location };
    }

    private async Task<ISandbox?> FindExistingAsync(RunRecord record, CancellationToken cancellationToken)
    {
        if (record.Agent?.SandboxId is { } known && await sandboxes.ConnectAsync(known, cancellationToken).ConfigureAwait(false) is { } connected)
        {
            return connected;
        }

        await foreach (SandboxInfo info in sandboxes.ListAsync(SandboxTags.Of(record, options.Value), cancellationToken).ConfigureAwait(false))
        {
            if (await sandboxes.ConnectAsync(info.Id, cancellationToken).ConfigureAwait(false) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private SandboxCreateRequest Request(RunRecord record) => new(
        Template,
        // Long enough to provision and run the first turn; every finished turn extends it to the session's expiry.
        TimeSpan.FromSeconds(record.IdleTimeoutSeconds) + TimeSpan.FromMinutes(30),
        SandboxTags.Of(record, options.Value));
}
