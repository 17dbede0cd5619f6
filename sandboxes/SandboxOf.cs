using CodingAgent.Model;

namespace CodingAgent.Sandboxes;

/// <summary>Reaches a run's sandbox from its record.</summary>
public static class SandboxOf
{
    /// <summary>The run's sandbox, or a readable failure when it is gone.</summary>
    public static async Task<ISandbox> ConnectAsync(ISandboxProvider sandboxes, RunRecord run, CancellationToken cancellationToken) =>
        await TryConnectAsync(sandboxes, run, cancellationToken).ConfigureAwait(false)
            ?? throw new SandboxException($"The sandbox of run {run.RunId} no longer exists.");

    public static async Task<ISandbox?> TryConnectAsync(ISandboxProvider sandboxes, RunRecord run, CancellationToken cancellationToken) =>
        run.Agent?.SandboxId is { } id ? await sandboxes.ConnectAsync(id, cancellationToken).ConfigureAwait(false) : null;
}
