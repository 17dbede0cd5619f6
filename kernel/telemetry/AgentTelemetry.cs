using System.Diagnostics;
using System.Diagnostics.Metrics;
using CodingAgent.Model;

namespace CodingAgent.Telemetry;

/// <summary>
/// The product's own spans and instruments (docs/operations.md). Attributes carry ids and outcomes only: never a prompt,
/// assistant text, key, token or password.
/// </summary>
public static class AgentTelemetry
{
    public const string Name = "CodingAgent";

    public const string RunIdAttribute = "coding_agent.run_id";
    public const string TurnAttribute = "coding_agent.turn";
    public const string AccountAttribute = "coding_agent.account";

    /// <summary>The Durable Task SDK's client spans and the engine's orchestration/activity spans (they carry W3C context).</summary>
    public static readonly IReadOnlyList<string> DurableSources = ["Microsoft.DurableTask", "DurableTask.Core"];

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    public static readonly Histogram<double> TurnDuration = Meter.CreateHistogram<double>(
        "coding_agent.turn.duration", "s", "A turn from its start to its settlement (agent, validation and publishing included).");

    public static readonly Histogram<double> PhaseDuration = Meter.CreateHistogram<double>(
        "coding_agent.phase.duration", "s", "A run phase (sandbox, clone, bootstrap, agent_start, turn, validate, publish, teardown).");

    public static readonly Counter<long> Errors = Meter.CreateCounter<long>(
        "coding_agent.errors", "{error}", "Phases that ended failed, by phase and error code.");

    public static readonly Counter<double> SandboxSeconds = Meter.CreateCounter<double>(
        "coding_agent.sandbox.seconds", "s", "Sandbox lifetime from creation to teardown, idle included (what E2B bills).");

    /// <summary>A span for one step of a run (an activity's work, a queue command), tagged with the run and turn.</summary>
    public static Activity? StartRunSpan(string name, RunKey run, int? turn = null, ActivityKind kind = ActivityKind.Internal)
    {
        ArgumentNullException.ThrowIfNull(run);
        Activity? span = Source.StartActivity(name, kind);
        if (span is not null)
        {
            span.SetTag(RunIdAttribute, run.RunId);
            span.SetTag(AccountAttribute, run.Account);
            if (turn is not null)
            {
                span.SetTag(TurnAttribute, turn.Value);
            }
        }

        return span;
    }

    /// <summary>Tags the current span (a request's) with the run it serves, e.g. a model call arriving with a run's token.</summary>
    public static void TagCurrent(RunKey run, int? turn)
    {
        ArgumentNullException.ThrowIfNull(run);
        Activity.Current?.SetTag(RunIdAttribute, run.RunId);
        Activity.Current?.SetTag(AccountAttribute, run.Account);
        if (turn is not null)
        {
            Activity.Current?.SetTag(TurnAttribute, turn.Value);
        }
    }

    /// <summary>The run id of the nearest enclosing run span, for log records written under it.</summary>
    public static string? CurrentRunId()
    {
        for (Activity? span = Activity.Current; span is not null; span = span.Parent)
        {
            if (span.GetTagItem(RunIdAttribute) is string runId)
            {
                return runId;
            }
        }

        return null;
    }
}
