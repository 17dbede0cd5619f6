using System.Diagnostics;
using CodingAgent.Hosting.Telemetry;
using CodingAgent.Model;
using CodingAgent.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace CodingAgent.Tests.Unit.Hosting;

/// <summary>Logs written under a run's span carry its run id and the trace id (the correlation id); others carry neither.</summary>
public sealed class RunLogEnricherTests
{
    [Fact]
    public void ALogUnderARunSpan_CarriesTheRunIdAndTraceId_OneOutsideDoesNot()
    {
        List<LogRecord> logs = [];
        ServiceCollection services = new();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Information));
        services.AddOpenTelemetry().AddCodingAgentPipeline().WithLogging(l => l.AddInMemoryExporter(logs));
        using ServiceProvider provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<TracerProvider>();
        ILogger logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("test");

        ActivityTraceId traceId;
        using (Activity? span = AgentTelemetry.StartRunSpan("RunTurn", new RunKey("acme", "run_abc"), 2))
        {
            Assert.NotNull(span);
            traceId = span.TraceId;
            logger.LogInformation("inside");
        }

        logger.LogInformation("outside");

        LogRecord inside = logs.Single(l => l.FormattedMessage == "inside" || l.Body == "inside");
        LogRecord outside = logs.Single(l => l.FormattedMessage == "outside" || l.Body == "outside");
        Assert.Contains(inside.Attributes!, a => a.Key == AgentTelemetry.RunIdAttribute && (string?)a.Value == "run_abc");
        Assert.Equal(traceId, inside.TraceId);
        Assert.DoesNotContain(outside.Attributes ?? [], a => a.Key == AgentTelemetry.RunIdAttribute);
        Assert.Equal(default, outside.TraceId);
    }
}
