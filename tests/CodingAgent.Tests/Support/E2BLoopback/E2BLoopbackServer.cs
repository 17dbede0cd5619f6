using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CodingAgent.Tests.Support.E2BLoopback;

/// <summary>
/// A loopback stand-in for E2B that follows its documented wire format (docs/e2b.md): the REST control
/// plane, envd's Connect-JSON process API and file API, and the port proxy, all on one 127.0.0.1 port. Sandbox traffic
/// arrives in E2B's shared-host form (<c>E2b-Sandbox-Id</c>/<c>E2b-Sandbox-Port</c> headers). A "sandbox" is a folder of
/// this machine and its commands run here, so real git and a real <c>opencode serve</c> run inside it.
/// </summary>
public sealed partial class E2BLoopbackServer : IAsyncDisposable
{
    public const string ApiKey = "e2b_loopback_test_key";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, LoopbackSandbox> sandboxes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private readonly HttpClient proxyClient = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly CancellationTokenSource stopping = new();
    private readonly string root = Directory.CreateTempSubdirectory("e2b-loopback-").FullName;
    private Task reaper = Task.CompletedTask;

    private E2BLoopbackServer(WebApplication app)
    {
        this.app = app;
    }

    /// <summary>The clock of sandbox lifetimes (the real one: the control plane under test runs in another process).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    private DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Base URL of both the control plane and the shared sandbox host.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public LoopbackFaults Faults { get; } = new();

    /// <summary>False: the <c>/v2/…</c> routes answer a bare 404, as an older E2B would, so clients must fall back to v1.</summary>
    public bool V2Routes { get; set; } = true;

    /// <summary>
    /// Put on every process's PATH, as the template's global installs are (infra/e2b: <c>opencode</c> in <c>/usr/local/bin</c>,
    /// which is on the PATH the client sets): this machine's /usr/local/bin cannot hold them, so the folder goes in front.
    /// </summary>
    public string? TemplateBinDirectory { get; set; }

    /// <summary>The envd version create, connect and get report (docs/e2b.md §6.6).</summary>
    public string EnvdVersion { get; set; } = "0.5.8";

    /// <summary>The plan's longest sandbox life, counted from its start (E2B: 1 h Hobby, 24 h Pro).</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Every sandbox ever created here, alive or not.</summary>
    public IReadOnlyCollection<LoopbackSandbox> AllSandboxes => [.. sandboxes.Values];

    public IReadOnlyCollection<LoopbackSandbox> LiveSandboxes => [.. sandboxes.Values.Where(s => s.IsAlive)];

    public IReadOnlyList<RecordedRequest> Requests => [.. requests];

    public static async Task<E2BLoopbackServer> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0);
            options.Limits.MaxRequestBodySize = null;
        });
        WebApplication app = builder.Build();
        E2BLoopbackServer server = new(app);
        app.Run(server.DispatchAsync);
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Urls.First().TrimEnd('/') + "/");
        server.reaper = server.ReapExpiredAsync(server.stopping.Token);
        return server;
    }

    /// <summary>The sandbox dies without anyone asking (a host failure, an out-of-memory kill): gone from API and proxy alike.</summary>
    public bool Vanish(string sandboxId) => sandboxes.TryGetValue(sandboxId, out LoopbackSandbox? sandbox) && sandbox.Kill();

    /// <summary>A sandbox as another deployment (or someone else) would have created it.</summary>
    public LoopbackSandbox AddForeign(IReadOnlyDictionary<string, string> metadata)
    {
        LoopbackSandbox sandbox = new(root, "other", 3600, metadata, new Dictionary<string, string>(), allowPublicTraffic: true, secure: true, Now);
        sandboxes[sandbox.Id] = sandbox;
        return sandbox;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await reaper;
        foreach (LoopbackSandbox sandbox in sandboxes.Values)
        {
            sandbox.Kill();
        }

        await app.StopAsync();
        await app.DisposeAsync();
        proxyClient.Dispose();
        stopping.Dispose();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Task DispatchAsync(HttpContext context) =>
        context.Request.Headers.TryGetValue("E2b-Sandbox-Id", out var id)
            ? SandboxTrafficAsync(context, id.ToString(), context.Request.Headers["E2b-Sandbox-Port"].ToString())
            : ControlPlaneAsync(context);

    /// <summary>E2B ends a sandbox when its timeout passes (no auto-pause here).</summary>
    private async Task ReapExpiredAsync(CancellationToken cancellationToken)
    {
        using PeriodicTimer timer = new(TimeSpan.FromMilliseconds(200));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                foreach (LoopbackSandbox sandbox in sandboxes.Values.Where(s => s.IsAlive && s.EndAt <= Now))
                {
                    sandbox.Kill();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Record(string operation, HttpContext context, string body, string? sandboxId)
    {
        Dictionary<string, string> headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        requests.Enqueue(new RecordedRequest(operation, context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body, sandboxId, Now));
    }

    private static async Task<string> BodyAsync(HttpContext context)
    {
        using StreamReader reader = new(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(context.RequestAborted);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body, Json), context.RequestAborted);
    }

    private static Task ErrorAsync(HttpContext context, LoopbackFault fault)
    {
        if (fault.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        Dictionary<string, object> body = new() { ["code"] = fault.Status, ["message"] = fault.Message };
        if (fault.ErrorCode is { } code)
        {
            body["error_code"] = code;
        }

        return WriteJsonAsync(context, fault.Status, body);
    }
}
