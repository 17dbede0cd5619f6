namespace CodingAgent.Configuration;

/// <summary>Where traces, metrics and logs go (docs/operations.md). Off by default on one machine.</summary>
public sealed class TelemetryOptions
{
    public const string NoExporter = "none";
    public const string ConsoleExporter = "console";
    public const string OtlpExporter = "otlp";
    public const string AzureMonitorExporter = "azuremonitor";

    public static readonly IReadOnlyList<string> Exporters = [NoExporter, ConsoleExporter, OtlpExporter, AzureMonitorExporter];

    /// <summary><c>none</c>, <c>console</c>, <c>otlp</c> (OTEL_EXPORTER_OTLP_* settings apply) or <c>azuremonitor</c>.</summary>
    public string Exporter { get; set; } = NoExporter;

    /// <summary>OTLP endpoint; empty: the exporter's default (or OTEL_EXPORTER_OTLP_ENDPOINT).</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Azure Monitor: the managed identity that sends telemetry (local auth is off on the resource).</summary>
    public string? ManagedIdentityClientId { get; set; }
}
