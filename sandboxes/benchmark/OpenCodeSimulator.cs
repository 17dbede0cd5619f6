using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CodingAgent.Sandboxes.Benchmark;

/// <summary>
/// <b>Benchmark only.</b> One in-process HTTP listener on 127.0.0.1 that answers, in OpenCode 1.18.33's wire format, the
/// routes the control plane calls (<c>OpenCodeClient</c>): health, create/get session, <c>prompt_async</c>, the message
/// list, <c>/session/status</c>, abort and the <c>/event</c> stream. It stands in for every <c>opencode serve</c> the
/// benchmark provider "starts": the <see cref="ServerHeader"/> of a request names the simulated process, which has its
/// own password, sessions and event followers. Prompts are answered at once with the text <c>ok</c>.
/// </summary>
public sealed class OpenCodeSimulator : IAsyncDisposable
{
    /// <summary>Carried by every request through the sandbox's port endpoint; names the simulated OpenCode process.</summary>
    public const string ServerHeader = "X-Benchmark-OpenCode-Server";

    private readonly WebApplication app;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<string, SimulatedServer> servers = new(StringComparer.Ordinal);

    private OpenCodeSimulator(WebApplication app, TimeProvider time)
    {
        this.app = app;
        this.time = time;
    }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Starts the listener on a free loopback port.</summary>
    public static async Task<OpenCodeSimulator> StartAsync(TimeProvider time)
    {
        // An empty builder: none of the host's configuration (URLs, Kestrel endpoints, logging) leaks into the simulator.
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        WebApplication app = builder.Build();
        OpenCodeSimulator simulator = new(app, time);
        simulator.MapRoutes();
        await app.StartAsync().ConfigureAwait(false);
        string address = app.Urls.First(); // the bound address, real port included, once started
        simulator.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return simulator;
    }

    internal void AddServer(string serverId, string directory, OpenCodeCredentials credentials) =>
        servers[serverId] = new SimulatedServer(directory, credentials, time);

    internal void RemoveServer(string serverId)
    {
        if (servers.TryRemove(serverId, out SimulatedServer? server))
        {
            server.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (SimulatedServer server in servers.Values)
        {
            server.Close();
        }

        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private void MapRoutes()
    {
        app.Use(AuthenticateAsync);
        app.MapGet("/global/health", context => JsonAsync(context, $$"""{"healthy":true,"version":"{{OpenCodeWire.Version}}"}"""));
        app.MapPost("/session", CreateSessionAsync);
        app.MapGet("/session/status", context => JsonAsync(context, "{}")); // idle sessions are omitted, and a reply is instant
        app.MapGet("/session/{id}", context => WithSession(context, session => JsonAsync(context, session.Info().ToJsonString())));
        app.MapGet("/session/{id}/message", context => WithSession(context, session => JsonAsync(context, session.MessagesJson())));
        app.MapPost("/session/{id}/prompt_async", PromptAsync);
        app.MapPost("/session/{id}/abort", context => WithSession(context, _ => JsonAsync(context, "true")));
        app.MapGet("/event", EventsAsync);
    }

    private async Task AuthenticateAsync(HttpContext context, RequestDelegate next)
    {
        if (!servers.TryGetValue(context.Request.Headers[ServerHeader].ToString(), out SimulatedServer? server))
        {
            // A stopped OpenCode would refuse the connection; any failure reads the same to the client.
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        if (!server.Credentials.Accepts(context.Request.Headers.Authorization.ToString(), context.Request.Query["auth_token"].ToString()))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Secure Area\"";
            return;
        }

        context.Items[typeof(SimulatedServer)] = server;
        await next(context).ConfigureAwait(false);
    }

    private static async Task CreateSessionAsync(HttpContext context)
    {
        using JsonDocument? body = await ReadBodyAsync(context).ConfigureAwait(false);
        string? title = body?.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("title", out JsonElement t)
            ? t.GetString()
            : null;
        SimulatedSession session = ServerOf(context).CreateSession(title);
        await JsonAsync(context, session.Info().ToJsonString()).ConfigureAwait(false);
    }

    private static async Task PromptAsync(HttpContext context)
    {
        if (SessionOf(context) is not { } session)
        {
            await SessionNotFoundAsync(context).ConfigureAwait(false);
            return;
        }

        using JsonDocument? body = await ReadBodyAsync(context).ConfigureAwait(false);
        if (body?.RootElement is not { ValueKind: JsonValueKind.Object } root || !root.TryGetProperty("parts", out JsonElement parts)
            || parts.ValueKind != JsonValueKind.Array)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        string? messageId = root.TryGetProperty("messageID", out JsonElement m) ? m.GetString() : null;
        List<PromptPart> texts = parts.EnumerateArray()
            .Where(p => p.TryGetProperty("type", out JsonElement type) && type.GetString() == "text")
            .Select(p => new PromptPart(p.TryGetProperty("id", out JsonElement id) ? id.GetString() : null, p.GetProperty("text").GetString() ?? string.Empty))
            .ToList();
        session.Prompt(messageId, texts);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task EventsAsync(HttpContext context)
    {
        SimulatedServer server = ServerOf(context);
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["x-accel-buffering"] = "no";
        using CancellationTokenSource stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, app.Lifetime.ApplicationStopping);
        Channel<string> events = server.Subscribe();
        try
        {
            await WriteFrameAsync(context, OpenCodeWire.Event("server.connected", [], server.Now), stop.Token).ConfigureAwait(false);
            await foreach (string frame in events.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                await WriteFrameAsync(context, frame, stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // the client went away, or the simulator stops
        }
        finally
        {
            server.Unsubscribe(events);
        }
    }

    private static async Task WriteFrameAsync(HttpContext context, string frame, CancellationToken cancellationToken)
    {
        await context.Response.WriteAsync("data: " + frame + "\n\n", cancellationToken).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Task WithSession(HttpContext context, Func<SimulatedSession, Task> answer) =>
        SessionOf(context) is { } session ? answer(session) : SessionNotFoundAsync(context);

    private static SimulatedServer ServerOf(HttpContext context) => (SimulatedServer)context.Items[typeof(SimulatedServer)]!;

    private static SimulatedSession? SessionOf(HttpContext context) =>
        context.Request.RouteValues["id"] is string id ? ServerOf(context).Session(id) : null;

    private static Task SessionNotFoundAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return JsonAsync(context, OpenCodeWire.NotFound($"Session not found: {context.Request.RouteValues["id"]}"));
    }

    private static async Task<JsonDocument?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null; // empty or not JSON
        }
    }

    private static Task JsonAsync(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json, context.RequestAborted);
    }
}
