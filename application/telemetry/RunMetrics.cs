using System.Diagnostics;
using CodingAgent.Model;
using CodingAgent.Telemetry;

namespace CodingAgent.Application.Telemetry;

/// <summary>Records the product's metrics from the records the steps already write (a retried step may record twice).</summary>
public static class RunMetrics
{
    public static void PhaseClosed(RunRecord record, string phase, int? turn, string outcome)
    {
        ArgumentNullException.ThrowIfNull(record);
        PhaseRecord? closed = record.Phases.LastOrDefault(p => p.Name == phase && p.Turn == turn && p.DurationMs is not null);
        if (closed is not null)
        {
            AgentTelemetry.PhaseDuration.Record(closed.DurationMs!.Value / 1000.0, new TagList { { "phase", phase }, { "outcome", outcome } });
        }

        if (outcome == PhaseOutcomes.Failed)
        {
            AgentTelemetry.Errors.Add(1, new TagList { { "phase", phase }, { "code", record.Error?.Code ?? ErrorCodes.PhaseFailed } });
        }
    }

    public static void TurnSettled(TurnRecord turn)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (turn.CompletedAt is { } completed)
        {
            double seconds = (completed - (turn.StartedAt ?? turn.AcceptedAt)).TotalSeconds;
            AgentTelemetry.TurnDuration.Record(Math.Max(0, seconds), new TagList { { "status", turn.Status } });
        }
    }

    /// <summary>From the sandbox phase's start (the create call) to now; the run's creation when that phase is no longer kept.</summary>
    public static void SandboxEnded(RunRecord record, string? provider, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Agent is null && record.Phases.All(p => p.Name != Phases.Sandbox))
        {
            return; // no sandbox was ever made
        }

        DateTimeOffset created = record.Phases.FirstOrDefault(p => p.Name == Phases.Sandbox)?.StartedAt ?? record.CreatedAt;
        AgentTelemetry.SandboxSeconds.Add(Math.Max(0, (now - created).TotalSeconds), new TagList { { "provider", provider } });
    }
}
