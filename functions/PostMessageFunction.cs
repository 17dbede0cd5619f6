using CodingAgent.Application.Requests;
using CodingAgent.Application.Keys;
using CodingAgent.Api;
using CodingAgent.Api.Auth;
using CodingAgent.Api.Contracts;
using CodingAgent.Api.OpenApi;
using CodingAgent.Application;
using CodingAgent.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace CodingAgent.Functions;

public sealed class PostMessageFunction(PostRequests posts, RunCommands commands, IOptions<LimitOptions> options)
{
    [Function(nameof(PostMessage))]
    [ApiOperation("Send a follow-up prompt (a new turn in the warm session) or end the session.", Scope = Scopes.Write,
        Description = "`{\"prompt\": …}` is accepted while the session is active, idle or running; prompts sent while a turn runs queue in order. "
            + "It answers the run and the accepted turn; Location is the turn. `{\"endSession\": true}` answers the run; it becomes `completed` once the sandbox is gone.")]
    [ApiHeader(KnownHeaders.IdempotencyKey)]
    [ApiRequestBody(typeof(MessageRequest))]
    [ApiResponse(StatusCodes.Status202Accepted, typeof(RunTurnEnvelope), Headers = "Location,Retry-After",
        Description = "Accepted; the body has no `turn` when the session is being ended.")]
    [ApiResponse(StatusCodes.Status400BadRequest, Problem = ProblemCodes.InvalidRequest)]
    [ApiResponse(StatusCodes.Status401Unauthorized, Problem = ProblemCodes.Unauthorized)]
    [ApiResponse(StatusCodes.Status403Forbidden, Problem = ProblemCodes.Forbidden)]
    [ApiResponse(StatusCodes.Status404NotFound, Problem = ProblemCodes.NotFound, Description = "No such run in the key's account.")]
    [ApiResponse(StatusCodes.Status409Conflict, typeof(SessionInactiveProblem), Problem = ProblemCodes.SessionInactive,
        Description = "The session is not active; `fallback` is the POST /runs body that continues the run.")]
    [ApiResponse(StatusCodes.Status413PayloadTooLarge, Problem = ProblemCodes.PayloadTooLarge)]
    [ApiResponse(StatusCodes.Status415UnsupportedMediaType, Problem = ProblemCodes.UnsupportedMediaType)]
    [ApiResponse(StatusCodes.Status422UnprocessableEntity, Problem = ProblemCodes.IdempotencyKeyReused)]
    [ApiResponse(StatusCodes.Status429TooManyRequests, Problem = ProblemCodes.TooManyQueuedTurns, Headers = "Retry-After",
        Description = "The run already holds `Limits:MaxQueuedTurns` prompts queued behind its running turn.")]
    public Task<IResult> PostMessage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Messages)] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string runId) =>
        posts.HandleAsync(request, Scopes.Write, (principal, body, intent) => PostAsync(request, principal, body, intent, durable, runId));

    private async Task<IResult> PostAsync(HttpRequest request, ApiPrincipal principal, byte[] body, IRequestIntent intent, DurableTaskClient durable, string runId)
    {
        HttpContext context = request.HttpContext;
        (MessageRequest? parsed, IResult? problem) = JsonBody.Parse<MessageRequest>(context, body);
        if (parsed is null)
        {
            return problem!;
        }

        Dictionary<string, string[]> errors = [];
        bool endSession = parsed.EndSession == true;
        if (endSession && parsed.Prompt is not null)
        {
            errors["$"] = ["Send either 'prompt' or 'endSession: true', not both."];
        }
        else if (!endSession)
        {
            PromptRules.Check(parsed.Prompt, "prompt", options.Value.MaxPromptCharacters, (member, message) => errors[member] = [message]);
        }

        if (errors.Count > 0)
        {
            return Problems.InvalidRequest(context, errors);
        }

        MessageOutcome outcome = endSession
            ? await commands.EndSessionAsync(principal.Run(runId), durable, context.RequestAborted).ConfigureAwait(false)
            : await commands.AcceptMessageAsync(principal.Run(runId), parsed.Prompt!, durable, context.RequestAborted, intent).ConfigureAwait(false);
        string baseUrl = ApiRoutes.BaseUrl(request);
        return outcome switch
        {
            MessageOutcome.Accepted { Turn: { } turn } accepted => RunResponses.Accepted(
                new RunTurnEnvelope(RunResource.From(accepted.Run, baseUrl), TurnResource.From(turn)), RunResponses.TurnUrl(request, runId, turn.Turn)),
            MessageOutcome.Accepted accepted => RunResponses.Accepted(new RunEnvelope(RunResource.From(accepted.Run, baseUrl)), $"{baseUrl}/runs/{runId}"),
            MessageOutcome.SessionInactive inactive => RunResponses.SessionInactive(context, inactive.Run, inactive.Reason, parsed.Prompt),
            MessageOutcome.Limited limited => Problems.TooManyRequests(context, limited.Limit.Code, limited.Limit.Detail, limited.Limit.RetryAfterSeconds),
            _ => Problems.NotFound(context, $"Run '{runId}'"),
        };
    }
}
