using CodingAgent.Api;
using CodingAgent.Api.Auth;
using CodingAgent.Api.Contracts;
using CodingAgent.Application;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Functions;

public sealed class CancelTurnFunction(PostRequests posts, RunCommands commands)
{
    [Function(nameof(CancelTurn))]
    public Task<IResult> CancelTurn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Cancel)] HttpRequest request,
        string runId) =>
        posts.HandleAsync(request, Scopes.Write, (principal, body) => CancelAsync(request, principal, body, runId), bodyOptional: true);

    private async Task<IResult> CancelAsync(HttpRequest request, ApiPrincipal principal, byte[] body, string runId)
    {
        HttpContext context = request.HttpContext;
        (CancelRequest? parsed, IResult? problem) = JsonBody.Parse<CancelRequest>(context, body);
        if (parsed is null)
        {
            return problem!;
        }

        MessageOutcome outcome = await commands.CancelTurnAsync(principal.Account, runId, context.RequestAborted).ConfigureAwait(false);
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
