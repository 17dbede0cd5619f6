using System.Diagnostics;
using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Sandboxes;
using CodingAgent.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using CodingAgent.Telemetry;

namespace CodingAgent.Application;

/// <summary>What one sweep saw and did; <paramref name="Failed"/> are sandboxes whose check or kill failed (the next sweep tries again).</summary>
public sealed record JanitorSweep(int Seen, IReadOnlyList<string> Killed, IReadOnlyList<string> Failed);

/// <summary>
/// Kills sandboxes tagged with this deployment whose run is no longer active: the run has ended, is unknown, or
/// lives in another sandbox — and, whatever its run, a running sandbox past its expiry: E2B ends those itself, a local
/// sandbox has no timeout but this one. Never touches a sandbox of another deployment. A young sandbox whose run is not
/// known yet is left for the next sweep, so a run being provisioned is never raced. One sandbox whose check or kill fails
/// is logged and left for the next sweep; it never stops the others from being killed.
/// </summary>
public sealed partial class SandboxJanitor(
    ISandboxProvider sandboxes, RunStore runs, IOptions<SandboxOptions> options, TimeProvider time, ILogger<SandboxJanitor> logger)
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    // Past its expiry by more than this: clocks of a remote provider and of this host never disagree by as much.
    private static readonly TimeSpan ExpirySlack = TimeSpan.FromMinutes(1);

    public async Task<JanitorSweep> SweepAsync(CancellationToken cancellationToken)
    {
        using Activity? span = AgentTelemetry.Source.StartActivity("SandboxJanitor");
        string deployment = SandboxTags.DeploymentOf(options.Value);
        Dictionary<string, string> ours = new() { [SandboxTags.Deployment] = deployment };
        List<SandboxInfo> tagged = [];
        await foreach (SandboxInfo sandbox in sandboxes.ListAsync(ours, cancellationToken).ConfigureAwait(false))
        {
            tagged.Add(sandbox);
        }

        List<string> killed = [];
        List<string> failed = [];
        foreach (SandboxInfo sandbox in tagged)
        {
            // Checked again here: the provider's filter is the service's, and this is the one rule that must never break.
            if (!sandbox.Metadata.TryGetValue(SandboxTags.Deployment, out string? tag) || tag != deployment)
            {
                continue;
            }

            string? reason = null;
            try
            {
                reason = await OrphanReasonAsync(sandbox, cancellationToken).ConfigureAwait(false);
                if (reason is not null && await sandboxes.KillAsync(sandbox.Id, cancellationToken).ConfigureAwait(false))
                {
                    killed.Add(sandbox.Id);
                    LogKilled(sandbox.Id, reason);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failed.Add(sandbox.Id);
                LogKillFailed(ex, sandbox.Id, reason ?? "its run could not be checked");
            }
        }

        return new JanitorSweep(tagged.Count, killed, failed);
    }

    private async Task<string?> OrphanReasonAsync(SandboxInfo sandbox, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        if (sandbox.State == SandboxState.Running && sandbox.ExpiresAt is { } expiry && now - expiry > ExpirySlack)
        {
            return $"it expired at {expiry:O}";
        }

        bool young = sandbox.StartedAt is { } started && now - started < Grace;
        if (!sandbox.Metadata.TryGetValue(SandboxTags.RunId, out string? runId) || !sandbox.Metadata.TryGetValue(SandboxTags.Account, out string? account))
        {
            return young ? null : "it names no run";
        }

        RunRecord? run = await runs.GetAsync(new RunKey(account, runId), cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return young ? null : $"its run {runId} does not exist";
        }

        if (RunStatuses.IsFinal(run.Status))
        {
            return $"its run {runId} is {run.Status}";
        }

        // An earlier provisioning attempt's sandbox, once the run has settled on another one.
        return run.Agent?.SandboxId is { } current && current != sandbox.Id && !young ? $"its run {runId} lives in sandbox {current}" : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Janitor killed sandbox {SandboxId}: {Reason}")]
    private partial void LogKilled(string sandboxId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Janitor could not kill sandbox {SandboxId} ({Reason}); the next sweep tries again")]
    private partial void LogKillFailed(Exception exception, string sandboxId, string reason);
}
