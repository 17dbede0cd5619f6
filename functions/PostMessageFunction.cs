using CodingAgent.Api;
using CodingAgent.Api.Auth;
using CodingAgent.Api.Contracts;
using CodingAgent.Application;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CodingAgent.Functions;

public sealed class PostMessageFunction(ApiKeyAuthenticator auth, RunCommands commands)
{
    [Function(nameof(PostMessage))]
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
                new { run = RunResource.From(accepted.Run, baseUrl), turn = TurnResource.From(turn) },
                RunResponses.TurnUrl(request, runId, turn.Turn)),
            MessageOutcome.Accepted accepted => RunResponses.Accepted(context,
                new { run = RunResource.From(accepted.Run, baseUrl) }, $"{baseUrl}/runs/{runId}"),
            MessageOutcome.SessionInactive inactive => RunResponses.SessionInactive(context, inactive.Run, inactive.Reason, body.Prompt),
            _ => Problems.NotFound(context, $"Run '{runId}'"),
        };
    }
}
