using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using CodingAgent.Application.Telemetry;
using CodingAgent.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CodingAgent.Hosting.Telemetry;

/// <summary>
/// OpenTelemetry for both hosts: the product's spans and metrics, the durable engine's spans, ASP.NET Core and HttpClient
/// instrumentation, logs with trace and run ids — exported where <c>CodingAgent:Telemetry:Exporter</c> says (none by default).
/// </summary>
public static class TelemetryRegistration
{
    public const string ServiceName = "coding-agent-api";

    public static IServiceCollection AddCodingAgentTelemetry(
        this IServiceCollection services, IConfiguration configuration, HostProfile host, Action<IOpenTelemetryBuilder>? hostDefaults = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(host);
        services.AddSingleton<OperationalGauges>();
        TelemetryOptions telemetry = configuration.GetSection($"{CodingAgentOptions.SectionName}:Telemetry").Get<TelemetryOptions>() ?? new();
        if (telemetry.Exporter == TelemetryOptions.NoExporter)
        {
            return services;
        }

        IOpenTelemetryBuilder otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName).AddAttributes([new("coding_agent.host", host.Name)]));
        hostDefaults?.Invoke(otel);
        AddExporter(otel.AddCodingAgentPipeline(), telemetry, configuration);
        services.AddHostedService<GaugeSamplingService>();
        return services;
    }

    /// <summary>Sources, instrumentation, sampler and log enrichment, without an exporter (tests add an in-memory one).</summary>
    public static IOpenTelemetryBuilder AddCodingAgentPipeline(this IOpenTelemetryBuilder otel) =>
        otel.WithTracing(CodingAgentTracing.Configure).WithMetrics(CodingAgentMetrics.Configure).WithLogging(
            logs => logs.AddProcessor(new RunLogEnricher()),
            options =>
            {
                options.IncludeScopes = true;
                options.IncludeFormattedMessage = true;
            });

    private static void AddExporter(IOpenTelemetryBuilder otel, TelemetryOptions telemetry, IConfiguration configuration)
    {
        switch (telemetry.Exporter)
        {
            case TelemetryOptions.ConsoleExporter:
                otel.WithTracing(t => t.AddConsoleExporter()).WithMetrics(m => m.AddConsoleExporter()).WithLogging(l => l.AddConsoleExporter());
                break;
            case TelemetryOptions.OtlpExporter:
                otel.UseOtlpExporter(OpenTelemetry.Exporter.OtlpExportProtocol.Grpc,
                    telemetry.OtlpEndpoint is { Length: > 0 } endpoint ? new Uri(endpoint) : new Uri("http://localhost:4317"));
                break;
            case TelemetryOptions.AzureMonitorExporter:
                // Local auth is off on the resource: telemetry is sent with the app's identity (the exporter ignores
                // APPLICATIONINSIGHTS_AUTHENTICATION_STRING, so the credential is set here).
                TokenCredential credential = telemetry.ManagedIdentityClientId is { Length: > 0 } clientId
                    ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
                    : new DefaultAzureCredential();
                void Configure(AzureMonitorExporterOptions o)
                {
                    o.ConnectionString = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
                    o.Credential = credential;
                }

                otel.WithTracing(t => t.AddAzureMonitorTraceExporter(Configure))
                    .WithMetrics(m => m.AddAzureMonitorMetricExporter(Configure))
                    .WithLogging(l => l.AddAzureMonitorLogExporter(Configure));
                break;
        }
    }
}
