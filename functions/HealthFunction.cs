using CodingAgent.Json;
using CodingAgent.Api.Contracts;
using CodingAgent.Api.OpenApi;
using CodingAgent.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Functions;

/// <summary>Liveness plus a storage round trip (<c>GET /api/health</c>, no auth).</summary>
public sealed class HealthFunction(StorageClients storage)
{
    [Function(nameof(Health))]
    [ApiOperation("Liveness plus a storage round trip.")]
    [ApiResponse(StatusCodes.Status200OK, typeof(HealthReport))]
    [ApiResponse(StatusCodes.Status503ServiceUnavailable, typeof(HealthReport), Description = "A dependency failed; `checks` names it.")]
    public async Task<IResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Api.ApiRoutes.Health)] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            await storage.TableAsync(StorageNames.Runs, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return Results.Json(new HealthReport("healthy", new HealthChecks("ok")), JsonDefaults.Options);
        }
        catch (Azure.RequestFailedException ex)
        {
            return Results.Json(new HealthReport("unhealthy", new HealthChecks(ex.ErrorCode ?? "unreachable")), JsonDefaults.Options,
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
