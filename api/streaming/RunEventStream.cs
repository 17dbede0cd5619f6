using System.Text.Json;
using CodingAgent.Json;
using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Application;
using CodingAgent.Application.Keys;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CodingAgent.Api.Streaming;

/// <summary>
/// <c>GET /runs/{id}/stream</c>: the run's stored log after a sequence number, then live events as they are
/// appended, read from storage only. Events of this process wake the stream at once; other writers are seen on the poll.
/// </summary>
public sealed class RunEventStream(RunEventFeed feed, ApiKeyService keys, IOptions<StreamOptions> options, TimeProvider time)
{
    public const string BuilderEvent = "builder.event";
    public const string StatusEvent = "run.status";
    private const int Page = 1000;
    private const int ClientRetryMilliseconds = 2000;
    public const string DurationEnded = "stream duration limit reached; reconnect with Last-Event-ID to resume";
    public const string KeyRevoked = "the API key was revoked";

    /// <param name="run">The run as it was when the client connected.</param>
    /// <param name="after">The last sequence number the client already has (0 for everything).</param>
    /// <param name="untilIdle">End at the first <c>idle</c> status that covers every turn accepted so far.</param>
    /// <param name="keyId">The key the stream was opened with: the stream ends when it is revoked.</param>
    /// <param name="lease">This stream's place in its key's allowance, given back when the stream ends.</param>
    public IResult Open(RunRecord run, long after, bool untilIdle, string keyId, IDisposable lease) =>
        new StreamResult(this, run, after, untilIdle, keyId, lease);

    private async Task WriteAsync(HttpContext context, RunRecord run, long after, bool untilIdle, string keyId)
    {
        HttpResponse response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        CancellationToken cancellationToken = context.RequestAborted;
        StreamOptions settings = options.Value;
        TimeSpan heartbeat = TimeSpan.FromSeconds(settings.HeartbeatSeconds);
        TimeSpan poll = TimeSpan.FromMilliseconds(settings.PollIntervalMilliseconds);
        DateTimeOffset endsAt = time.GetUtcNow() + TimeSpan.FromSeconds(settings.MaxDurationSeconds);
        DateTimeOffset nextKeyCheck = time.GetUtcNow() + poll;

        // Nothing more will be appended to a finished run's log; an idle run with no turn pending satisfies untilIdle.
        bool endWhenCaughtUp = RunStatuses.IsFinal(run.Status)
            || (untilIdle && run.Status == RunStatuses.Idle && run.CompletedTurns >= run.AcceptedTurns);
        long last = after;
        try
        {
            await ServerSentEvents.WriteRetryAsync(response, ClientRetryMilliseconds, cancellationToken).ConfigureAwait(false);
            await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            DateTimeOffset nextHeartbeat = time.GetUtcNow() + heartbeat;
            while (true)
            {
                Task appended = feed.NextAppendAsync(run.RunId);
                IReadOnlyList<RunEvent> events = await feed.ReadAsync(run.RunId, last, Page, cancellationToken).ConfigureAwait(false);
                foreach (RunEvent e in events)
                {
                    last = e.Seq;
                    if (await WriteEventAsync(response, e, untilIdle ? run.AcceptedTurns : null, cancellationToken).ConfigureAwait(false))
                    {
                        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                        return;
                    }
                }

                if (events.Count > 0)
                {
                    await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                    nextHeartbeat = time.GetUtcNow() + heartbeat;
                }

                if (events.Count == Page)
                {
                    continue;
                }

                if (endWhenCaughtUp)
                {
                    return;
                }

                if (time.GetUtcNow() >= endsAt)
                {
                    await EndWithCommentAsync(response, DurationEnded, cancellationToken).ConfigureAwait(false);
                    return;
                }

                if (time.GetUtcNow() >= nextKeyCheck)
                {
                    if (!await KeyStillValidAsync(keyId, cancellationToken).ConfigureAwait(false))
                    {
                        await EndWithCommentAsync(response, KeyRevoked, cancellationToken).ConfigureAwait(false);
                        return;
                    }

                    nextKeyCheck = time.GetUtcNow() + poll;
                }

                TimeSpan untilHeartbeat = nextHeartbeat - time.GetUtcNow();
                TimeSpan wait = untilHeartbeat < poll ? untilHeartbeat : poll;
                if (wait > TimeSpan.Zero)
                {
                    await Task.WhenAny(appended, Task.Delay(wait, time, cancellationToken)).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (time.GetUtcNow() >= nextHeartbeat)
                {
                    await ServerSentEvents.WriteCommentAsync(response, "heartbeat", cancellationToken).ConfigureAwait(false);
                    await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                    nextHeartbeat = time.GetUtcNow() + heartbeat;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; it resumes with Last-Event-ID.
        }
    }

    private async Task<bool> KeyStillValidAsync(string keyId, CancellationToken cancellationToken) =>
        await keys.IsActiveAsync(keyId, cancellationToken).ConfigureAwait(false);

    private static async Task EndWithCommentAsync(HttpResponse response, string comment, CancellationToken cancellationToken)
    {
        await ServerSentEvents.WriteCommentAsync(response, comment, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one event; true when it is the last one this stream sends.</summary>
    private static async Task<bool> WriteEventAsync(HttpResponse response, RunEvent e, int? idleAtTurn, CancellationToken cancellationToken)
    {
        if (e.Type != RunEventTypes.RunStatus)
        {
            await ServerSentEvents.WriteEventAsync(response, e.Seq, BuilderEvent, JsonSerializer.Serialize(e, JsonDefaults.Options), cancellationToken)
                .ConfigureAwait(false);
            return false;
        }

        await ServerSentEvents.WriteEventAsync(response, e.Seq, StatusEvent, e.Data.GetRawText(), cancellationToken).ConfigureAwait(false);
        string? status = e.Data.TryGetProperty("status", out JsonElement s) ? s.GetString() : null;
        int currentTurn = e.Data.TryGetProperty("currentTurn", out JsonElement t) && t.TryGetInt32(out int n) ? n : 0;
        return (status is not null && RunStatuses.IsFinal(status))
            || (idleAtTurn is { } turn && status == RunStatuses.Idle && currentTurn >= turn);
    }

    private sealed class StreamResult(RunEventStream stream, RunRecord run, long after, bool untilIdle, string keyId, IDisposable lease) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            using (lease)
            {
                await stream.WriteAsync(httpContext, run, after, untilIdle, keyId).ConfigureAwait(false);
            }
        }
    }
}
