using System.Security.Cryptography;
using CodingAgent.Agent;
using CodingAgent.Application;
using CodingAgent.Model;
using CodingAgent.Gateway;
using CodingAgent.Configuration;
using CodingAgent.Repositories;
using CodingAgent.Sandboxes;
using CodingAgent.Storage;
using Microsoft.Extensions.Options;

namespace CodingAgent.Application.Provisioning;

/// <summary>Starts <c>opencode serve</c> in the sandbox with a fresh password and opens the run's one session.</summary>
public sealed class AgentStartStep(
    ISandboxProvider sandboxes, RunSecretStore secrets, GatewayAuthorizer gateway, OpenCodeLauncher launcher, AgentConnections connections,
    IOptions<ModelOptions> options, TimeProvider time) : IProvisioningStep
{
    // How long a sandbox's port proxy may take to forward OpenCode's new port (E2B's envd looks about once a second).
    private static readonly TimeSpan PortForwardDeadline = TimeSpan.FromSeconds(20);

    public string Phase => Phases.AgentStart;

    public async Task<Func<RunRecord, RunRecord>?> RunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ISandbox sandbox = await SandboxOf.ConnectAsync(sandboxes, run, cancellationToken).ConfigureAwait(false);
        AgentLocation location = run.Agent!;
        if (location.SessionId is not null && await connections.IsHealthyAsync(run, cancellationToken).ConfigureAwait(false))
        {
            return null; // an earlier attempt got all the way
        }

        if (location.ProcessRef is { } stale)
        {
            await sandbox.SignalAsync(stale, ProcessSignal.Kill, cancellationToken).ConfigureAwait(false);
        }

        string password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        await secrets.PutAsync(run.RunId, RunSecretStore.AgentPassword, password, cancellationToken).ConfigureAwait(false);
        // OpenCode gets the gateway and a token of this run, never a provider key (docs/security.md).
        GatewayToken token = await gateway.IssueAsync(run, cancellationToken).ConfigureAwait(false);
        AgentProcess process = await launcher.StartAsync(
            sandbox, RepositoryWorkspace.PathIn(sandbox), run.ModelId, run.TaskKind == TaskKinds.Plan, password,
            GatewayAddress.For(options.Value, token), cancellationToken)
            .ConfigureAwait(false);

        RunRecord started = run with { Agent = location with { Port = process.Port, ProcessRef = process.ProcessRef, SessionId = null } };
        OpenCodeClient client = await connections.ConnectAsync(started, cancellationToken).ConfigureAwait(false)
            ?? throw new AgentException("OpenCode started but its sandbox or password is gone.");
        OpenCodeHealth health = await client.WaitUntilHealthyAsync(PortForwardDeadline, time, cancellationToken).ConfigureAwait(false);
        if (health == OpenCodeHealth.PortNotForwarded)
        {
            throw new AgentException(
                $"OpenCode listens on port {process.Port}, but the sandbox's proxy still answered 502 \"port is not open\" after {PortForwardDeadline.TotalSeconds:0} s.");
        }

        if (health != OpenCodeHealth.Healthy)
        {
            throw new AgentException("OpenCode listens but does not answer its health check.");
        }

        string sessionId = await client.CreateSessionAsync($"Coding Agent run {run.RunId}", cancellationToken).ConfigureAwait(false);
        AgentLocation ready = started.Agent! with { SessionId = sessionId };
        return r => r with { Agent = ready, SessionActive = true };
    }
}
