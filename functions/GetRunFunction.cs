using CodingAgent.Application.Keys;
using CodingAgent.Api;
using CodingAgent.Api.Auth;
using CodingAgent.Api.Contracts;
using CodingAgent.Api.OpenApi;
using CodingAgent.Application;
using CodingAgent.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Functions;

public sealed class GetRunFunction(RunReads reads, RunQueries queries)
{
    [Function(nameof(GetRun))]
    [ApiOperation("A run: status, session, phases, the latest turn's text and patch stats.", Scope = Scopes.Read)]
    [ApiQuery("events", typeof(int), "1: include a page of the run's event log, in order.")]
    [ApiQuery("eventsAfter", typeof(long), "The page starts after this sequence number (default 0; `eventsNextAfter` of the previous page).")]
    [ApiQuery("eventsLimit", typeof(int), "Events per page, 1–1000 (default 1000).")]
    [ApiQuery("patch", typeof(int), "1: include the cumulative diff against the base commit.")]
    [ApiResponse(StatusCodes.Status200OK, typeof(RunEnvelope))]
    [ApiResponse(StatusCodes.Status400BadRequest, Problem = ProblemCodes.InvalidRequest)]
    [ApiResponse(StatusCodes.Status401Unauthorized, Problem = ProblemCodes.Unauthorized)]
    [ApiResponse(StatusCodes.Status403Forbidden, Problem = ProblemCodes.Forbidden)]
    [ApiResponse(StatusCodes.Status404NotFound, Problem = ProblemCodes.NotFound, Description = "No such run in the key's account.")]
    public Task<IResult> GetRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Run)] HttpRequest request,
        string runId) =>
        reads.HandleAsync(request, runId, async run =>
        {
            CancellationToken cancellationToken = request.HttpContext.RequestAborted;
            IReadOnlyList<EventResource>? events = null;
            long? nextAfter = null;
            if (request.Query["events"] == "1")
            {
                if (EventPageQuery.Parse(request.Query, out string? member) is not { } page)
                {
                    return Problems.InvalidRequest(request.HttpContext, new Dictionary<string, string[]> { [member!] = [EventPageQuery.Rule(member!)] });
                }

                (IReadOnlyList<RunEvent> read, bool more) = await queries.EventsPageAsync(run.RunId, page.After, page.Limit, cancellationToken).ConfigureAwait(false);
                events = read.Select(EventResource.From).ToList();
                nextAfter = more ? read[^1].Seq : null;
            }

            string? patch = request.Query["patch"] == "1" ? await queries.GetPatchAsync(run.RunId, cancellationToken).ConfigureAwait(false) : null;
            return JsonAnswer.Of(new RunEnvelope(RunResource.From(run, ApiRoutes.BaseUrl(request)), events, patch, nextAfter), StatusCodes.Status200OK);
        });
}
