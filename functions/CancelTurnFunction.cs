using CodingAgent.Application.Keys;
using CodingAgent.Api;
using CodingAgent.Api.Auth;
using CodingAgent.Api.Contracts;
using CodingAgent.Api.OpenApi;
using CodingAgent.Application;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Functions;

public sealed class CancelTurnFunction(PostRequests posts, RunCommands commands)
{
    [Function(nameof(CancelTurn))]
    [ApiOperation("Abort the running turn through OpenCode; the session stays warm and queued turns still run.", Scope = Scopes.Write)]
    [ApiHeader(KnownHeaders.IdempotencyKey)]
    [ApiRequestBody(typeof(CancelRequest), Description = "Optional: nothing, or an empty object.")]
    [ApiResponse(StatusCodes.Status202Accepted, typeof(RunTurnEnvelope), Headers = "Location,Retry-After",
        Description = "The abort was sent; Location is the turn, which settles as `cancelled`.")]
    [ApiResponse(StatusCodes.Status400BadRequest, Problem = ProblemCodes.InvalidRequest)]
    [ApiResponse(StatusCodes.Status401Unauthorized, Problem = ProblemCodes.Unauthorized)]
    [ApiResponse(StatusCodes.Status403Forbidden, Problem = ProblemCodes.Forbidden)]
    [ApiResponse(StatusCodes.Status404NotFound, Problem = ProblemCodes.NotFound, Description = "No such run in the key's account.")]
    [ApiResponse(StatusCodes.Status409Conflict, typeof(SessionInactiveProblem), Problem = ProblemCodes.SessionInactive,
        Description = "`session_inactive` (with a `fallback`), or `no_turn_running` when no turn runs.")]
    [ApiResponse(StatusCodes.Status413PayloadTooLarge, Problem = ProblemCodes.PayloadTooLarge)]
    [ApiResponse(StatusCodes.Status415UnsupportedMediaType, Problem = ProblemCodes.UnsupportedMediaType)]
    [ApiResponse(StatusCodes.Status422UnprocessableEntity, Problem = ProblemCodes.IdempotencyKeyReused)]
    public Task<IResult> CancelTurn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Cancel)] HttpRequest request,
        string runId) =>
        posts.HandleAsync(request, Scopes.Write, (principal, body, _) => CancelAsync(request, principal, body, runId), bodyOptional: true);

    private async Task<IResult> CancelAsync(HttpRequest request, ApiPrincipal principal, byte[] body, string runId)
    {
        HttpContext context = request.HttpContext;
        (CancelRequest? parsed, IResult? problem) = JsonBody.Parse<CancelRequest>(context, body);
        if (parsed is null)
        {
            return problem!;
        }

        MessageOutcome outcome = await commands.CancelTurnAsync(principal.Run(runId), context.RequestAborted).ConfigureAwait(false);
        return outcome switch
        {
            MessageOutcome.Accepted { Turn: { } turn } accepted => RunResponses.Accepted(
                new RunTurnEnvelope(RunResource.From(accepted.Run, ApiRoutes.BaseUrl(request)), TurnResource.From(turn)),
                RunResponses.TurnUrl(request, runId, turn.Turn)),
            MessageOutcome.NoTurnRunning => Problems.Create(context, StatusCodes.Status409Conflict, "no_turn_running", "No turn is running.",
                $"Run {runId} has no running turn to cancel; it may have finished already."),
            MessageOutcome.SessionInactive inactive => RunResponses.SessionInactive(context, inactive.Run, inactive.Reason, null),
            _ => Problems.NotFound(context, $"Run '{runId}'"),
        };
    }
}
