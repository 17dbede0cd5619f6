using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CodingAgent.Tests.Support;

/// <summary>
/// A webhook receiver on loopback: records every request (headers and body), answers 500 to the first
/// <see cref="FailFirst"/> requests of <c>/hook</c>, 200 after; <c>/redirect</c> answers 302 to <c>/hook</c>.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private int hookRequests;

    private WebhookReceiver(WebApplication app) => this.app = app;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public int FailFirst { get; set; }

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        WebhookReceiver receiver = new(app);
        app.MapPost("/{**path}", async (HttpContext context, string path) =>
        {
            using StreamReader reader = new(context.Request.Body);
            string body = await reader.ReadToEndAsync();
            receiver.Received.Enqueue(new ReceivedWebhook(
                "/" + path, context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body));
            if (path == "redirect")
            {
                return Results.Redirect("/hook");
            }

            return Interlocked.Increment(ref receiver.hookRequests) <= receiver.FailFirst ? Results.StatusCode(500) : Results.Ok();
        });
        await app.StartAsync();
        receiver.BaseUrl = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return receiver;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}

public sealed record ReceivedWebhook(string Path, IReadOnlyDictionary<string, string> Headers, string Body);
