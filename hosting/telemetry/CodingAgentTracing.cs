using System.Diagnostics;
using CodingAgent.Telemetry;
using Microsoft.AspNetCore.Http;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace CodingAgent.Hosting.Telemetry;

/// <summary>
/// What is traced: one trace per request or job — the HTTP request, the durable client's scheduling, the orchestration and
/// each activity (the durable engine carries W3C context through its history), our run spans, and every HttpClient call
/// (OpenCode, E2B, GitHub, the model provider). Headers are never recorded; URL queries are redacted by the instrumentation.
/// </summary>
public static class CodingAgentTracing
{
    // The self-host's own durable client talks gRPC to its embedded engine: plumbing, not product.
    private const string DurableSidecarPath = "/TaskHubSidecarService";

    public static void Configure(TracerProviderBuilder tracing)
    {
        ArgumentNullException.ThrowIfNull(tracing);
        tracing.AddSource(AgentTelemetry.Name)
            .AddSource([.. AgentTelemetry.DurableSources])
            .AddProcessor(new NoBackgroundPolls())
            .AddAspNetCoreInstrumentation(o =>
            {
                o.Filter = context => !context.Request.Path.StartsWithSegments(DurableSidecarPath, StringComparison.Ordinal);
                o.EnrichWithHttpResponse = TagRun;
            })
            .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = request =>
                request.RequestUri?.AbsolutePath.StartsWith(DurableSidecarPath + "/", StringComparison.Ordinal) != true);
    }

    // After routing: the run id of /runs/{runId}/… requests (ids only, never the body).
    private static void TagRun(Activity span, HttpResponse response)
    {
        if (response.HttpContext.Request.RouteValues.TryGetValue("runId", out object? runId) && runId is string id)
        {
            span.SetTag(AgentTelemetry.RunIdAttribute, id);
        }
    }

    /// <summary>
    /// An HttpClient call with no enclosing span is a background poll (the durable engine's queues, the janitor's list): a
    /// trace of one span each, many per second. It is marked not recorded when it ends, so no exporter sends it (dropping it
    /// at sampling would also mark the trace context it sends as unsampled). Spans with a parent are kept.
    /// </summary>
    private sealed class NoBackgroundPolls : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            ArgumentNullException.ThrowIfNull(data);
            if (data.Kind == ActivityKind.Client && data.Parent is null && data.ParentSpanId == default)
            {
                data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            }
        }
    }
}
