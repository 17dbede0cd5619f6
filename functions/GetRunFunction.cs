using CodingAgent.Api;
using CodingAgent.Api.Auth;
using CodingAgent.Api.Contracts;
using CodingAgent.Application;
using CodingAgent.Application.Model;
using CodingAgent.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Functions;

public sealed class GetRunFunction(ApiKeyAuthenticator auth, RunCommands commands)
{
    [Function(nameof(GetRun))]
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
        if (request.Query["events"] == "1")
        {
            IReadOnlyList<RunEvent> events = await commands.EventsAsync(run.RunId, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return Results.Json(new { run = resource, events }, JsonDefaults.Options);
        }

        return Results.Json(new { run = resource }, JsonDefaults.Options);
    }
}
