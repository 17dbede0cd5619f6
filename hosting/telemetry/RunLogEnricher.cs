using System.Diagnostics;
using CodingAgent.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace CodingAgent.Hosting.Telemetry;

/// <summary>
/// Puts the run id on every log record written under a run span (the trace and span ids, the correlation id, are
/// already there), so a run's logs are found by id without each call site adding a scope.
/// </summary>
internal sealed class RunLogEnricher : BaseProcessor<LogRecord>
{
    public override void OnEnd(LogRecord data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (AgentTelemetry.CurrentRunId() is { } runId && Activity.Current is not null)
        {
            data.Attributes = [.. data.Attributes ?? [], new(AgentTelemetry.RunIdAttribute, runId)];
        }
    }
}
