using CodingAgent.Agent;
using CodingAgent.Application.Model;
using CodingAgent.Sandboxes;
using CodingAgent.Storage;

namespace CodingAgent.Application;

/// <summary>Opens an OpenCode client to a run's warm agent, through its sandbox's port endpoint and with its per-run password.</summary>
public sealed class AgentConnections(ISandboxProvider sandboxes, RunSecretStore secrets, IHttpClientFactory httpClients)
{
    public const string HttpClientName = "opencode";

    public async Task<OpenCodeClient?> ConnectAsync(RunRecord run, CancellationToken cancellationToken)
    {
        if (run.Agent is not { Port: { } port } agent)
        {
            return null;
        }

        ISandbox? sandbox = await sandboxes.ConnectAsync(agent.SandboxId, cancellationToken).ConfigureAwait(false);
        string? password = await secrets.GetAsync(run.RunId, RunSecretStore.AgentPassword, cancellationToken).ConfigureAwait(false);
        if (sandbox is null || password is null)
        {
            return null;
        }

        PortEndpoint endpoint = await sandbox.GetPortEndpointAsync(port, cancellationToken).ConfigureAwait(false);
        return new OpenCodeClient(httpClients.CreateClient(HttpClientName), endpoint, password);
    }

    /// <summary>True when the run's OpenCode answers its health check through the sandbox.</summary>
    public async Task<bool> IsHealthyAsync(RunRecord run, CancellationToken cancellationToken)
    {
        OpenCodeClient? client = await ConnectAsync(run, cancellationToken).ConfigureAwait(false);
        return client is not null && await client.IsHealthyAsync(TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
    }
}
