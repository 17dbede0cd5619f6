using System.Globalization;
using CodingAgent.Application.Keys;
using CodingAgent.Api;
using CodingAgent.Api.Auth;
using CodingAgent.Api.OpenApi;
using CodingAgent.Api.Streaming;
using CodingAgent.Application;
using CodingAgent.Model;
using CodingAgent.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace CodingAgent.Functions;

public sealed class StreamRunFunction(RunReads reads, RunEventStream stream, StreamAdmission admission, IOptions<StreamOptions> options)
{
    private const int StreamRetryAfterSeconds = 5;

    [Function(nameof(StreamRun))]
    [ApiOperation("The run's events as server-sent events: the stored log, then live ones.", Scope = Scopes.Read,
        Description = "`event: builder.event` carries an Event; `event: run.status` carries `{status, sessionActive, sessionExpiresAt, currentTurn}`. "
            + "`id` is the sequence number. Ends after the final status of a finished run, or with `untilIdle=1` at the idle that follows every accepted turn. "
            + "A comment heartbeat every 15 s. A stream ends after `Stream:MaxDurationSeconds` (a final comment says so; reconnect with Last-Event-ID), "
            + "and within a poll interval of its key being revoked.")]
    [ApiHeader(KnownHeaders.LastEventId)]
    [ApiQuery("after", typeof(long), "Resume after this sequence number (Last-Event-ID wins).")]
    [ApiQuery("untilIdle", typeof(int), "1: end the stream once the run is idle with no turn pending.")]
    [ApiResponse(StatusCodes.Status200OK, typeof(string), ContentType = ApiContentTypes.EventStream)]
    [ApiResponse(StatusCodes.Status400BadRequest, Problem = ProblemCodes.InvalidRequest)]
    [ApiResponse(StatusCodes.Status401Unauthorized, Problem = ProblemCodes.Unauthorized)]
    [ApiResponse(StatusCodes.Status403Forbidden, Problem = ProblemCodes.Forbidden)]
    [ApiResponse(StatusCodes.Status404NotFound, Problem = ProblemCodes.NotFound, Description = "No such run in the key's account.")]
    [ApiResponse(StatusCodes.Status429TooManyRequests, Problem = ProblemCodes.TooManyStreams, Headers = "Retry-After",
        Description = "The key already holds `Stream:MaxStreamsPerKey` open streams.")]
    public Task<IResult> StreamRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Stream)] HttpRequest request,
        string runId) =>
        reads.HandleAsync(request, runId, (principal, run) => Task.FromResult(Open(request, principal, run)));

    private IResult Open(HttpRequest request, ApiPrincipal principal, RunRecord run)
    {
        // Last-Event-ID (sent by a reconnecting EventSource) wins over ?after=.
        string? resumeFrom = request.Headers["Last-Event-ID"].FirstOrDefault() ?? request.Query["after"].FirstOrDefault();
        long after = 0;
        if (resumeFrom is not null && !long.TryParse(resumeFrom, NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            return Problems.InvalidRequest(request.HttpContext, new Dictionary<string, string[]>
            {
                [request.Headers.ContainsKey("Last-Event-ID") ? "Last-Event-ID" : "after"] = ["A sequence number (a whole number ≥ 0) from an earlier event's id."],
            });
        }

        string? untilIdle = request.Query["untilIdle"].FirstOrDefault();
        if (untilIdle is not (null or "0" or "1" or "true" or "false"))
        {
            return Problems.InvalidRequest(request.HttpContext, new Dictionary<string, string[]> { ["untilIdle"] = ["'1' or '0'."] });
        }

        int maxStreams = options.Value.MaxStreamsPerKey;
        IDisposable? lease = admission.TryEnter(principal.KeyId, maxStreams);
        return lease is null
            ? Problems.TooManyRequests(request.HttpContext, ProblemCodes.TooManyStreams,
                $"This key already holds {maxStreams} open streams; close one (or resume it later with Last-Event-ID).", StreamRetryAfterSeconds)
            : stream.Open(run, after, untilIdle is "1" or "true", principal.KeyId, lease);
    }
}
