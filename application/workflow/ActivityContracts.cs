using System.Text.Json.Serialization;
using CodingAgent.Model;

namespace CodingAgent.Application.Workflow;

public sealed record TurnInput(string Account, string RunId, int Turn)
{
    [JsonIgnore]
    public RunKey Run => new(Account, RunId);
}

/// <param name="SessionAlive">False when the sandbox or OpenCode is gone and the run cannot take more turns.</param>
/// <param name="Settled">False when the agent is done but the turn still has steps to run (<paramref name="Validate"/>, <paramref name="Publish"/>) before it settles.</param>
public sealed record TurnOutcome(int Turn, bool SessionAlive, DateTime ExpiresAtUtc, bool Settled = true, bool Validate = false, bool Publish = false);

/// <param name="FixNeeded">The agent's change broke validation and the run may still ask the agent to fix it.</param>
public sealed record ValidationOutcome(string Status, bool FixNeeded);

/// <param name="Turn">The automatic fix turn handed out, or null when none was (a caller's prompt is queued, or attempts are used up).</param>
public sealed record FixTurnOutcome(int? Turn);

/// <param name="FailedPhase">A step after the agent (validate, publish) that failed outright; the turn settles with its message.</param>
/// <param name="PublishDeferred">An automatic fix turn follows and publishes; this turn did not.</param>
public sealed record SettleInput(
    string Account, string RunId, int Turn, string? FailedPhase = null, string? ErrorMessage = null, bool PublishDeferred = false)
{
    [JsonIgnore]
    public RunKey Run => new(Account, RunId);
}

/// <param name="FailedPhase">The phase a failed run failed in; null takes the last phase the run record marks failed.</param>
/// <param name="LeaveSandboxToJanitor">Close the run without reaching its sandbox (the provider kept failing); the janitor kills it later.</param>
public sealed record TeardownInput(
    string Account, string RunId, string EndReason, string? FailedPhase = null, string? ErrorMessage = null, bool LeaveSandboxToJanitor = false)
{
    [JsonIgnore]
    public RunKey Run => new(Account, RunId);
}

/// <summary>Raised by the API for every accepted follow-up; at-least-once, so the orchestration de-duplicates by turn.</summary>
public sealed record MessageSignal(int Turn);

public sealed record EndSessionSignal(string Reason);

/// <summary>One delivery of a notification to a caller's URL, with its retry schedule (fixed when it was made).</summary>
public sealed record DeliveryInput(string Account, string RunId, string DeliveryId, int MaxAttempts, int FirstRetrySeconds, int MaxRetrySeconds);
