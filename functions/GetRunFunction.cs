using CodingAgent.Api;
using CodingAgent.Api.Auth;
using CodingAgent.Api.Contracts;
using CodingAgent.Api.OpenApi;
using CodingAgent.Application;
using CodingAgent.Application.Model;
using CodingAgent.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Functions;

public sealed class GetRunFunction(ApiKeyAuthenticator auth, RunCommands commands)
{
    [Function(nameof(GetRun))]
    [ApiOperation("A run: status, session, phases, the latest turn's text and patch stats.", Scope = Scopes.Read)]
    [ApiQuery("events", typeof(int), "1: include the run's event log in order.")]
    [ApiResponse(StatusCodes.Status200OK, typeof(RunDetailsEnvelope))]
    [ApiResponse(StatusCodes.Status401Unauthorized, Problem = ProblemCodes.Unauthorized)]
    [ApiResponse(StatusCodes.Status403Forbidden, Problem = ProblemCodes.Forbidden)]
    [ApiResponse(StatusCodes.Status404NotFound, Problem = ProblemCodes.NotFound, Description = "No such run in the key's account.")]
    public async Task<IResult> GetRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Run)] HttpRequest request,
        string runId)
    {
        ArgumentNullException.ThrowIfNull(request);
        (ApiPrincipal? principal, IResult? failure) = await auth.AuthenticateAsync(request.HttpContext, Scopes.Read).ConfigureAwait(false);
        if (principal is null)
        {
            return failure!;
        }

        RunRecord? run = await commands.GetAsync(principal.Account, runId, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (run is null)
        {
            return Problems.NotFound(request.HttpContext, $"Run '{runId}'");
        }

        RunResource resource = RunResource.From(run, ApiRoutes.BaseUrl(request));
        IReadOnlyList<RunEvent>? events = request.Query["events"] == "1"
            ? await commands.EventsAsync(run.RunId, request.HttpContext.RequestAborted).ConfigureAwait(false)
            : null;
        return Results.Json(new RunDetailsEnvelope(resource, events), JsonDefaults.Options);
    }
}
