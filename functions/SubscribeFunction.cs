using CodingAgent.Api;
using CodingAgent.Api.Auth;
using CodingAgent.Api.Contracts;
using CodingAgent.Api.OpenApi;
using CodingAgent.Application;
using CodingAgent.Application.Keys;
using CodingAgent.Application.Subscriptions;
using CodingAgent.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CodingAgent.Functions;

/// <summary>
/// The subscribe call of a Logic Apps HTTP Webhook action: the run POSTs the action's callback URL once, when the
/// subscribed turn settles or the run ends (docs/logicapps.md).
/// </summary>
public sealed class SubscribeFunction(PostRequests posts, RunQueries queries, RunSubscriptions subscriptions)
{
    [Function(nameof(Subscribe))]
    [ApiOperation("Subscribe a callback URL (a Logic Apps HTTP Webhook action's) to the run's next settled turn, or to its end.", Scope = Scopes.Write)]
    [ApiHeader(KnownHeaders.IdempotencyKey)]
    [ApiRequestBody(typeof(SubscribeRequest))]
    [ApiResponse(StatusCodes.Status201Created, typeof(SubscriptionEnvelope), Headers = "Location", Description = "Location is the subscription; DELETE it to unsubscribe.")]
    [ApiResponse(StatusCodes.Status400BadRequest, Problem = ProblemCodes.InvalidRequest)]
    [ApiResponse(StatusCodes.Status401Unauthorized, Problem = ProblemCodes.Unauthorized)]
    [ApiResponse(StatusCodes.Status403Forbidden, Problem = ProblemCodes.Forbidden)]
    [ApiResponse(StatusCodes.Status404NotFound, Problem = ProblemCodes.NotFound, Description = "No such run in the key's account.")]
    [ApiResponse(StatusCodes.Status409Conflict, Problem = ProblemCodes.IdempotencyInProgress, Headers = "Retry-After",
        Description = "The first request with this Idempotency-Key is still being handled.")]
    [ApiResponse(StatusCodes.Status413PayloadTooLarge, Problem = ProblemCodes.PayloadTooLarge)]
    [ApiResponse(StatusCodes.Status415UnsupportedMediaType, Problem = ProblemCodes.UnsupportedMediaType)]
    [ApiResponse(StatusCodes.Status422UnprocessableEntity, Problem = ProblemCodes.IdempotencyKeyReused)]
    public Task<IResult> Subscribe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Subscriptions)] HttpRequest request,
        string runId,
        [DurableClient] DurableTaskClient durable) =>
        posts.HandleAsync(request, Scopes.Write, (principal, body, _) => SubscribeAsync(request, principal, body, runId, durable));

    private async Task<IResult> SubscribeAsync(HttpRequest request, ApiPrincipal principal, byte[] body, string runId, DurableTaskClient durable)
    {
        HttpContext context = request.HttpContext;
        (SubscribeRequest? parsed, IResult? problem) = JsonBody.Parse<SubscribeRequest>(context, body);
        if (parsed is null)
        {
            return problem!;
        }

        Dictionary<string, string[]> errors = await subscriptions.CheckAsync(parsed.CallbackUrl, parsed.Until, context.RequestAborted).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            return Problems.InvalidRequest(context, errors);
        }

        if (await queries.GetAsync(principal.Run(runId), context.RequestAborted).ConfigureAwait(false) is not { } run)
        {
            return Problems.NotFound(context, $"Run '{runId}'");
        }

        SubscriptionRecord subscription = await subscriptions.SubscribeAsync(run, parsed.CallbackUrl!, parsed.Until, durable, context.RequestAborted)
            .ConfigureAwait(false);
        return JsonAnswer.Of(new SubscriptionEnvelope(SubscriptionResource.From(subscription)), StatusCodes.Status201Created,
                $"{ApiRoutes.BaseUrl(request)}/runs/{run.RunId}/subscriptions/{subscription.SubscriptionId}");
    }
}
