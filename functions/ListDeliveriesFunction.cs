using CodingAgent.Api;
using CodingAgent.Api.Contracts;
using CodingAgent.Api.OpenApi;
using CodingAgent.Application;
using CodingAgent.Application.Keys;
using CodingAgent.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Functions;

/// <summary>The run's delivery log: every webhook notification, its attempts and what the receiver answered.</summary>
public sealed class ListDeliveriesFunction(RunReads reads, RunQueries queries)
{
    [Function(nameof(ListDeliveries))]
    [ApiOperation("The run's webhook deliveries: each notification, its attempts and the receiver's last answer.", Scope = Scopes.Read)]
    [ApiResponse(StatusCodes.Status200OK, typeof(DeliveryListEnvelope))]
    [ApiResponse(StatusCodes.Status401Unauthorized, Problem = ProblemCodes.Unauthorized)]
    [ApiResponse(StatusCodes.Status403Forbidden, Problem = ProblemCodes.Forbidden)]
    [ApiResponse(StatusCodes.Status404NotFound, Problem = ProblemCodes.NotFound, Description = "No such run in the key's account.")]
    public Task<IResult> ListDeliveries(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Deliveries)] HttpRequest request,
        string runId) =>
        reads.HandleAsync(request, runId, async run =>
        {
            IReadOnlyList<DeliveryRecord> deliveries = await queries.DeliveriesAsync(run.RunId, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return (IResult)JsonAnswer.Of(new DeliveryListEnvelope([.. deliveries.Select(DeliveryResource.From)]), StatusCodes.Status200OK);
        });
}
