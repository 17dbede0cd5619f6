using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CodingAgent.Hosting.Telemetry;
using CodingAgent.Model;
using CodingAgent.Storage;
using CodingAgent.Telemetry;
using CodingAgent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// One run through the self-host (built in this process so an in-memory exporter sees what it exports): the create
/// request's trace runs through the durable engine into each activity and on into the OpenCode calls, tagged with the
/// run, and no span carries the prompt, a key or a password.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class TelemetryTests(TestEnvironment environment)
{
    private const string Account = "telemetry";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task CreateRequest_IsOneTrace_ThroughOrchestrationActivitiesAndOpenCodeCalls_WithoutSecrets()
    {
        SynchronizedList<Activity> spans = new();
        List<MetricSnapshot> metrics = [];
        Dictionary<string, string> settings = environment.Environment();
        string modelKey = "sk-managed-" + RandomNumberGenerator.GetHexString(24, lowercase: true);
        settings["CodingAgent__Model__ApiKey"] = modelKey;
        string key = await environment.CreateKeyAsync(Account);
        using TestRepository repo = TestRepository.Create();
        string prompt = "write traced.txt: traced " + RandomNumberGenerator.GetHexString(12, lowercase: true) + "\nsay Traced.";
        string runId;
        string[] runSecrets;

        await using (InProcessSelfHost host = await InProcessSelfHost.StartAsync(settings, services => services.AddOpenTelemetry()
            .AddCodingAgentPipeline()
            .WithTracing(t => t.AddInMemoryExporter(spans))
            .WithMetrics(m => m.AddInMemoryExporter(metrics))))
        {
            using ApiClient api = new(host.BaseUrl, key);
            JsonNode created = await api.CreateRunAsync(new { repository = repo.Path, prompt, modelId = "scripted/model" });
            runId = (string)created["id"]!;
            (JsonNode idle, _) = await api.WaitForAsync(runId, r => (string)r["status"]! == "idle", RunTimeout);
            Assert.Equal("Traced.", (string)idle["assistantText"]!);

            RunSecretStore secrets = host.Services.GetRequiredService<RunSecretStore>();
            runSecrets = [
                (await secrets.GetAsync(runId, RunSecretStore.AgentPassword, CancellationToken.None))!,
                (await secrets.GetAsync(runId, RunSecretStore.GatewayToken, CancellationToken.None))!,
            ];
            Assert.All(runSecrets, s => Assert.False(string.IsNullOrEmpty(s)));

            using (HttpResponseMessage end = await api.PostAsync($"runs/{runId}/messages", new { endSession = true }))
            {
                Assert.True(end.IsSuccessStatusCode, await end.Content.ReadAsStringAsync());
            }

            await api.WaitForAsync(runId, r => (string)r["status"]! == "completed", RunTimeout);
            // The orchestration's own span ends when the orchestration does, a moment after the run reads completed.
            await WaitForAsync(() => spans.Snapshot().Any(s => s.OperationName.StartsWith("orchestration:", StringComparison.Ordinal) && Tag(s, "durabletask.task.instance_id") == runId));
            host.Services.GetRequiredService<TracerProvider>().ForceFlush();
            host.Services.GetRequiredService<MeterProvider>().ForceFlush();
        }

        List<Activity> all = spans.Snapshot();
        Activity create = all.Single(s => s.Kind == ActivityKind.Server && Tag(s, "http.request.method") == "POST"
            && Tag(s, "http.route")?.EndsWith("/runs", StringComparison.Ordinal) == true);
        List<Activity> trace = all.Where(s => s.TraceId == create.TraceId).ToList();
        string[] expected =
        [
            "create_orchestration:RunOrchestrator", "orchestration:RunOrchestrator",
            "activity:ProvisionRun", "ProvisionRun", "activity:RunTurn", "RunTurn", "activity:TeardownRun", "TeardownRun",
        ];
        Assert.All(expected, name => Assert.Contains(trace, s => s.OperationName == name));
        Assert.Equal(runId, Tag(trace.Single(s => s.OperationName == "RunTurn"), AgentTelemetry.RunIdAttribute));
        Assert.Equal("1", Tag(trace.Single(s => s.OperationName == "RunTurn"), AgentTelemetry.TurnAttribute));

        // The turn's calls to OpenCode are HttpClient spans under the RunTurn span.
        Activity runTurn = trace.Single(s => s.OperationName == "RunTurn");
        List<Activity> openCodeCalls = trace.Where(s => s.Kind == ActivityKind.Client && s.Source.Name == "System.Net.Http"
            && IsUnder(s, runTurn, trace)).ToList();
        Assert.NotEmpty(openCodeCalls);
        Assert.Contains(openCodeCalls, s => Tag(s, "url.full")?.Contains("/session", StringComparison.Ordinal) == true);
        // OpenCode sends no trace context: each model call is a trace of its own, rooted at the gateway request, tagged with the run.
        Assert.Contains(all, s => s.Kind == ActivityKind.Server && Tag(s, "url.path")?.Contains("/model-gateway/", StringComparison.Ordinal) == true
            && Tag(s, AgentTelemetry.RunIdAttribute) == runId && Tag(s, AgentTelemetry.TurnAttribute) == "1");
        // The self-host's own gRPC hops to its durable engine are not traced.
        Assert.DoesNotContain(all, s => (Tag(s, "url.full") ?? Tag(s, "url.path"))?.Contains("TaskHubSidecarService", StringComparison.Ordinal) == true);

        string[] secretsToFind = [prompt, prompt.Split('\n')[0], key, modelKey, environment.EncryptionKey, .. runSecrets];
        foreach (Activity span in all)
        {
            foreach ((string name, object? value) in span.TagObjects)
            {
                string text = value?.ToString() ?? string.Empty;
                Assert.False(secretsToFind.Any(secret => text.Contains(secret, StringComparison.Ordinal)), $"span {span.OperationName} attribute {name} holds a secret or the prompt");
                Assert.DoesNotContain("password", name, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("authorization", name, StringComparison.OrdinalIgnoreCase);
            }
        }

        Assert.Contains(metrics, m => m.Name == "coding_agent.turn.duration");
        Assert.Contains(metrics, m => m.Name == "coding_agent.phase.duration" && Points(m).Any(p => Tags(p).Contains(("phase", Phases.Turn))));
        Assert.Contains(metrics, m => m.Name == "coding_agent.sandbox.seconds");
    }

    private static string? Tag(Activity span, string name) => span.GetTagItem(name)?.ToString();

    private static bool IsUnder(Activity span, Activity ancestor, IReadOnlyList<Activity> trace)
    {
        Dictionary<ActivitySpanId, Activity> byId = trace.ToDictionary(s => s.SpanId);
        for (ActivitySpanId parent = span.ParentSpanId; byId.TryGetValue(parent, out Activity? next); parent = next.ParentSpanId)
        {
            if (next.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    private static IReadOnlyList<MetricPoint> Points(MetricSnapshot metric) => metric.MetricPoints;

    private static List<(string, string?)> Tags(MetricPoint point)
    {
        List<(string, string?)> tags = [];
        foreach (KeyValuePair<string, object?> tag in point.Tags)
        {
            tags.Add((tag.Key, tag.Value?.ToString()));
        }

        return tags;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using CancellationTokenSource limit = new(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(100, limit.Token);
        }
    }
}
