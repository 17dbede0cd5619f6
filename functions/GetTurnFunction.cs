using System.Globalization;
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

/// <summary>The async request-reply pattern Logic Apps polls natively: 202 + Location + Retry-After until the turn settles, then 200.</summary>
public sealed class GetTurnFunction(RunReads reads, RunQueries queries)
{
    [Function(nameof(GetTurn))]
    [ApiOperation("One turn, for polling (the async request-reply pattern Logic Apps follows natively).", Scope = Scopes.Read)]
    [ApiResponse(StatusCodes.Status200OK, typeof(RunTurnEnvelope), Description = "The turn settled: completed, failed or cancelled.")]
    [ApiResponse(StatusCodes.Status202Accepted, typeof(RunTurnEnvelope), Headers = "Location,Retry-After",
        Description = "The turn is queued or running; poll Location after Retry-After seconds.")]
    [ApiResponse(StatusCodes.Status401Unauthorized, Problem = ProblemCodes.Unauthorized)]
    [ApiResponse(StatusCodes.Status403Forbidden, Problem = ProblemCodes.Forbidden)]
    [ApiResponse(StatusCodes.Status404NotFound, Problem = ProblemCodes.NotFound, Description = "No such run in the key's account, or no such turn.")]
    public Task<IResult> GetTurn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Turn)] HttpRequest request,
        string runId,
        string turn) =>
        reads.HandleAsync(request, runId, async run =>
        {
            TurnRecord? record = int.TryParse(turn, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number >= 1
                ? await queries.GetTurnAsync(run.RunId, number, request.HttpContext.RequestAborted).ConfigureAwait(false)
                : null;
            if (record is null)
            {
                return Problems.NotFound(request.HttpContext, $"Turn '{turn}' of run '{runId}'");
            }

            RunTurnEnvelope body = new(RunResource.From(run, ApiRoutes.BaseUrl(request)), TurnResource.From(record));
            return TurnStatuses.IsSettled(record.Status)
                ? JsonAnswer.Of(body, StatusCodes.Status200OK)
                : RunResponses.Accepted(body, RunResponses.TurnUrl(request, run.RunId, number));
        });
}
