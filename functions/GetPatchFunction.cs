using CodingAgent.Application.Keys;
using CodingAgent.Api;
using CodingAgent.Api.Auth;
using CodingAgent.Api.OpenApi;
using CodingAgent.Application;
using CodingAgent.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Functions;

/// <summary>The cumulative diff against the base commit as of the latest finished turn (stored, so it outlives the sandbox).</summary>
public sealed class GetPatchFunction(RunReads reads, RunQueries queries)
{
    public const string ContentType = "text/x-diff; charset=utf-8";

    [Function(nameof(GetPatch))]
    [ApiOperation("The cumulative diff against the base commit as of the latest finished turn.", Scope = Scopes.Read)]
    [ApiResponse(StatusCodes.Status200OK, typeof(string), ContentType = ApiContentTypes.Diff, Description = "A unified diff; empty before the first turn finished.")]
    [ApiResponse(StatusCodes.Status401Unauthorized, Problem = ProblemCodes.Unauthorized)]
    [ApiResponse(StatusCodes.Status403Forbidden, Problem = ProblemCodes.Forbidden)]
    [ApiResponse(StatusCodes.Status404NotFound, Problem = ProblemCodes.NotFound, Description = "No such run in the key's account.")]
    public Task<IResult> GetPatch(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Patch)] HttpRequest request,
        string runId) =>
        reads.HandleAsync(request, runId, async run =>
            Results.Text(await queries.GetPatchAsync(run.RunId, request.HttpContext.RequestAborted).ConfigureAwait(false), ContentType));
}
