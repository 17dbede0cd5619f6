using CodingAgent.Model;

namespace CodingAgent.Application;

/// <summary>What became of a follow-up, end-session or cancel request.</summary>
public abstract record MessageOutcome
{
    public sealed record NotFound : MessageOutcome;

    /// <param name="Reason"><c>ended</c> | <c>expired</c> | <c>unhealthy</c> | <c>not_ready</c>.</param>
    public sealed record SessionInactive(RunRecord Run, string Reason) : MessageOutcome;

    public sealed record Accepted(RunRecord Run, TurnRecord? Turn) : MessageOutcome;

    /// <summary>A cancel found no turn running (the run is idle, or the turn finished first).</summary>
    public sealed record NoTurnRunning(RunRecord Run) : MessageOutcome;

    /// <summary>A limit of the run refused the prompt (e.g. too many turns already queued).</summary>
    public sealed record Limited(LimitExceeded Limit) : MessageOutcome;
}

public static class InactiveReasons
{
    public const string Ended = "ended";
    public const string Expired = "expired";
    public const string Unhealthy = "unhealthy";
    public const string NotReady = "not_ready";
}
