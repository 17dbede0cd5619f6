using CodingAgent.Api;
using CodingAgent.Api.Auth;
using CodingAgent.Api.Contracts;
using CodingAgent.Api.OpenApi;
using CodingAgent.Application;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CodingAgent.Functions;

public sealed class PostMessageFunction(ApiKeyAuthenticator auth, RunCommands commands)
{
    [Function(nameof(PostMessage))]
    [ApiOperation("Send a follow-up prompt (a new turn in the warm session) or end the session.", Scope = Scopes.Write,
        Description = "`{\"prompt\": …}` answers the run and the accepted turn; Location is the turn. `{\"endSession\": true}` answers "
            + "the run; Location is the run, which becomes `completed` once the sandbox is gone.")]
    [ApiHeader(KnownHeaders.IdempotencyKey)]
    [ApiRequestBody(typeof(MessageRequest))]
    [ApiResponse(StatusCodes.Status202Accepted, typeof(RunWithTurnEnvelope), Headers = "Location,Retry-After",
        Description = "Accepted; the body has no `turn` when the session is being ended.")]
    [ApiResponse(StatusCodes.Status400BadRequest, Problem = ProblemCodes.InvalidRequest)]
    [ApiResponse(StatusCodes.Status401Unauthorized, Problem = ProblemCodes.Unauthorized)]
    [ApiResponse(StatusCodes.Status403Forbidden, Problem = ProblemCodes.Forbidden)]
    [ApiResponse(StatusCodes.Status404NotFound, Problem = ProblemCodes.NotFound, Description = "No such run in the key's account.")]
    [ApiResponse(StatusCodes.Status409Conflict, typeof(SessionInactiveProblem), Problem = ProblemCodes.SessionInactive,
        Description = "The session is not active; `fallback` is the POST /runs body that continues the run.")]
    [ApiResponse(StatusCodes.Status413PayloadTooLarge, Description = "The body exceeds the size limit.")]
    [ApiResponse(StatusCodes.Status415UnsupportedMediaType, Problem = ProblemCodes.UnsupportedMediaType)]
    [ApiResponse(StatusCodes.Status422UnprocessableEntity, Problem = ProblemCodes.IdempotencyKeyReused)]
    public async Task<IResult> PostMessage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Messages)] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string runId)
    {
        ArgumentNullException.ThrowIfNull(request);
        HttpContext context = request.HttpContext;
        (ApiPrincipal? principal, IResult? failure) = await auth.AuthenticateAsync(context, Scopes.Write).ConfigureAwait(false);
        if (principal is null)
        {
            return failure!;
        }

        (MessageRequest? body, IResult? problem) = await JsonBody.ReadAsync<MessageRequest>(context).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        Dictionary<string, string[]> errors = [];
        bool endSession = body.EndSession == true;
        if (endSession && body.Prompt is not null)
        {
            errors["$"] = ["Send either 'prompt' or 'endSession: true', not both."];
        }
        else if (!endSession)
        {
            PromptRules.Check(body.Prompt, "prompt", (member, message) => errors[member] = [message]);
        }

        if (errors.Count > 0)
        {
            return Problems.InvalidRequest(context, errors);
        }

        MessageOutcome outcome = endSession
            ? await commands.EndSessionAsync(principal.Account, runId, durable, context.RequestAborted).ConfigureAwait(false)
            : await commands.AcceptMessageAsync(principal.Account, runId, body.Prompt!, durable, context.RequestAborted).ConfigureAwait(false);
        string baseUrl = ApiRoutes.BaseUrl(request);
        return outcome switch
        {
            MessageOutcome.Accepted { Turn: { } turn } accepted => RunResponses.Accepted(context,
                new RunWithTurnEnvelope(RunResource.From(accepted.Run, baseUrl), TurnResource.From(turn)),
                RunResponses.TurnUrl(request, runId, turn.Turn)),
            MessageOutcome.Accepted accepted => RunResponses.Accepted(context,
                new RunWithTurnEnvelope(RunResource.From(accepted.Run, baseUrl), null), $"{baseUrl}/runs/{runId}"),
            MessageOutcome.SessionInactive inactive => RunResponses.SessionInactive(context, inactive.Run, inactive.Reason, body.Prompt),
            _ => Problems.NotFound(context, $"Run '{runId}'"),
        };
    }
}
