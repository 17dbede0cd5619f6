using CodingAgent.Telemetry;
using OpenTelemetry.Metrics;

namespace CodingAgent.Hosting.Telemetry;

/// <summary>The product's instruments (turn and phase durations, sessions, command queue depth, sandbox seconds, errors) and HTTP metrics.</summary>
public static class CodingAgentMetrics
{
    public static void Configure(MeterProviderBuilder metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        metrics.AddMeter(AgentTelemetry.Name)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation();
    }
}
