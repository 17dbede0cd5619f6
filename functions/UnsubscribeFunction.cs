using CodingAgent.Api;
using CodingAgent.Api.OpenApi;
using CodingAgent.Application.Keys;
using CodingAgent.Application.Subscriptions;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Functions;

/// <summary>The unsubscribe call of a Logic Apps HTTP Webhook action (when it is done, cancelled or timed out).</summary>
public sealed class UnsubscribeFunction(RunReads reads, RunSubscriptions subscriptions)
{
    [Function(nameof(Unsubscribe))]
    [ApiOperation("End a subscription; a callback already under way still arrives once.", Scope = Scopes.Write)]
    [ApiResponse(StatusCodes.Status204NoContent, Description = "Unsubscribed (again: unsubscribing twice is fine).")]
    [ApiResponse(StatusCodes.Status401Unauthorized, Problem = ProblemCodes.Unauthorized)]
    [ApiResponse(StatusCodes.Status403Forbidden, Problem = ProblemCodes.Forbidden)]
    [ApiResponse(StatusCodes.Status404NotFound, Problem = ProblemCodes.NotFound, Description = "No such run in the key's account, or no such subscription on it.")]
    public Task<IResult> Unsubscribe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.Subscription)] HttpRequest request,
        string runId,
        string subscriptionId) =>
        reads.HandleAsync(request, runId, Scopes.Write, async (_, run) =>
            await subscriptions.UnsubscribeAsync(run, subscriptionId, request.HttpContext.RequestAborted).ConfigureAwait(false)
                ? Results.NoContent()
                : Problems.NotFound(request.HttpContext, $"Subscription '{subscriptionId}'"));
}
