using CodingAgent.Configuration;
using CodingAgent.Model;
using CodingAgent.Sandboxes;
using CodingAgent.Storage;

namespace CodingAgent.Agent;

/// <summary>Opens an OpenCode client to a run's warm agent, through its sandbox's port endpoint and with its per-run password.</summary>
public sealed class AgentConnections(
    ISandboxProvider sandboxes, RunSecretStore secrets, IHttpClientFactory httpClients, Microsoft.Extensions.Options.IOptions<AgentOptions> options)
{
    public const string HttpClientName = "opencode";

    public async Task<OpenCodeClient?> ConnectAsync(RunRecord run, CancellationToken cancellationToken)
    {
        if (run.Agent is not { Port: { } port } agent)
        {
            return null;
        }

        ISandbox? sandbox = await sandboxes.ConnectAsync(agent.SandboxId, cancellationToken).ConfigureAwait(false);
        return sandbox is null ? null : await ClientInAsync(run, sandbox, port, cancellationToken).ConfigureAwait(false);
    }

    private async Task<OpenCodeClient?> ClientInAsync(RunRecord run, ISandbox sandbox, int port, CancellationToken cancellationToken)
    {
        string? password = await secrets.GetAsync(run.RunId, RunSecretStore.AgentPassword, cancellationToken).ConfigureAwait(false);
        if (password is null)
        {
            return null;
        }

        PortEndpoint endpoint = await sandbox.GetPortEndpointAsync(port, cancellationToken).ConfigureAwait(false);
        return new OpenCodeClient(httpClients.CreateClient(HttpClientName), endpoint, password, options.Value.MaxEventFrameBytes);
    }

    /// <summary>True when the run's OpenCode answers its health check through the sandbox.</summary>
    public async Task<bool> IsHealthyAsync(RunRecord run, CancellationToken cancellationToken) =>
        await ProbeAsync(run, cancellationToken).ConfigureAwait(false) == AgentHealth.Healthy;

    /// <summary>
    /// Whether the run's OpenCode answers, and if not, whether its sandbox is gone altogether. Only the provider's word
    /// that the sandbox no longer exists is <see cref="AgentHealth.SandboxGone"/>; a provider that cannot be asked right now
    /// (a rate limit, an outage, the network) is <see cref="AgentHealth.Unreachable"/>, which never ends a run.
    /// </summary>
    public async Task<AgentHealth> ProbeAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Agent is not { } agent)
        {
            return AgentHealth.NotAnswering;
        }

        ISandbox? sandbox;
        try
        {
            sandbox = await sandboxes.ConnectAsync(agent.SandboxId, cancellationToken).ConfigureAwait(false);
        }
        catch (SandboxException ex) when (ex is not SandboxGoneException)
        {
            return AgentHealth.Unreachable;
        }

        if (sandbox is null)
        {
            return AgentHealth.SandboxGone;
        }

        OpenCodeClient? client = agent.Port is { } port ? await ClientInAsync(run, sandbox, port, cancellationToken).ConfigureAwait(false) : null;
        if (client is not null && await client.IsHealthyAsync(TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false))
        {
            return AgentHealth.Healthy;
        }

        try
        {
            return await sandbox.IsAliveAsync(cancellationToken).ConfigureAwait(false) ? AgentHealth.NotAnswering : AgentHealth.SandboxGone;
        }
        catch (SandboxGoneException)
        {
            return AgentHealth.SandboxGone;
        }
        catch (SandboxException)
        {
            return AgentHealth.Unreachable;
        }
    }
}

public enum AgentHealth
{
    Healthy,

    /// <summary>The sandbox lives but OpenCode does not answer (yet): the session may still recover.</summary>
    NotAnswering,

    /// <summary>The sandbox's provider could not be asked (rate limit, outage, network): it may well live; the run goes on.</summary>
    Unreachable,

    /// <summary>The sandbox no longer exists: the session cannot recover and the run is torn down.</summary>
    SandboxGone,
}
