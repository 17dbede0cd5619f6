using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CodingAgent.Tests.Support.ScriptedModel;

/// <summary>
/// An OpenAI-compatible chat/completions server on 127.0.0.1 that answers OpenCode from a tiny script written in the
/// task text (<c>write</c>, <c>edit</c>, <c>bash</c>, <c>sleep</c>, <c>fail</c>, <c>say</c> lines), one directive per LLM step.
/// </summary>
public sealed class ScriptedModelServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private readonly List<ModelRequestRecord> requests = [];
    private long completionCounter;
    private int disposed;

    private ScriptedModelServer(WebApplication app)
    {
        this.app = app;
    }

    /// <summary>The provider base URL to give OpenCode, e.g. <c>http://127.0.0.1:43123/v1</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>A snapshot of every chat/completions request received so far, oldest first.</summary>
    public IReadOnlyList<ModelRequestRecord> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. requests];
            }
        }
    }

    /// <summary>Starts the server on a free loopback port.</summary>
    public static async Task<ScriptedModelServer> StartAsync(CancellationToken ct = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));

        var app = builder.Build();
        var server = new ScriptedModelServer(app);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        app.MapPost("/chat/completions", server.HandleAsync);
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        var address = app.Urls.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/v1");
        return server;
    }

    /// <summary>Stops the server, cancelling any scripted <c>sleep</c> still in progress.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stopping.CancelAsync();
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token);
        var ct = cancel.Token;

        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(ct);
        }

        ChatRequest request;
        try
        {
            using var document = JsonDocument.Parse(body);
            request = ChatRequestParser.Parse(document.RootElement);
        }
        catch (JsonException exception)
        {
            Record(context, body, null, "fail: 400 (invalid JSON)");
            await JsonCompletionWriter.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, "Invalid JSON body: " + exception.Message, ct);
            return;
        }

        var reply = ScriptPlanner.Plan(request);
        Record(context, body, request, reply.Describe());

        if (reply.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(reply.Delay, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (reply is FailureReply failure)
        {
            var message = "Scripted failure " + failure.StatusCode.ToString(CultureInfo.InvariantCulture);
            await JsonCompletionWriter.WriteErrorAsync(context.Response, failure.StatusCode, message, ct);
            return;
        }

        var number = Interlocked.Increment(ref completionCounter);
        var replyChars = reply switch
        {
            TextReply text => text.Text.Length,
            ToolCallReply call => call.Name.Length + call.Arguments.Length,
            _ => 0,
        };
        var identity = new CompletionIdentity(
            "chatcmpl-scripted-" + number.ToString(CultureInfo.InvariantCulture),
            "call_" + number.ToString(CultureInfo.InvariantCulture),
            request.Model,
            TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(),
            CompletionIdentity.EstimateTokens(body.Length),
            CompletionIdentity.EstimateTokens(replyChars));

        if (request.Stream)
        {
            await SseCompletionWriter.WriteAsync(context.Response, identity, reply, ct);
        }
        else
        {
            await JsonCompletionWriter.WriteAsync(context.Response, identity, reply, ct);
        }
    }

    private void Record(HttpContext context, string body, ChatRequest? request, string reply)
    {
        var headers = context.Request.Headers;
        var record = new ModelRequestRecord(
            TimeProvider.System.GetUtcNow(),
            context.Request.Path.Value ?? string.Empty,
            body,
            request?.HasTools ?? false,
            request?.LastUserText,
            headers.TryGetValue("x-session-id", out var session) ? session.ToString() : null,
            headers.TryGetValue("Authorization", out var authorization) ? authorization.ToString() : null,
            reply);
        lock (gate)
        {
            requests.Add(record);
        }
    }
}
