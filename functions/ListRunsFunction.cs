using CodingAgent.Application.Keys;
using CodingAgent.Api;
using CodingAgent.Api.Auth;
using CodingAgent.Api.Contracts;
using CodingAgent.Api.OpenApi;
using CodingAgent.Application;
using CodingAgent.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Functions;

public sealed class ListRunsFunction(ApiKeyAuthenticator auth, RunQueries queries)
{
    [Function(nameof(ListRuns))]
    [ApiOperation("The account's runs, newest first, a page at a time.", Scope = Scopes.Read)]
    [ApiQuery("limit", typeof(int), "Page size, 1–100 (default 20).")]
    [ApiQuery("cursor", typeof(string), "`nextCursor` of the previous page.")]
    [ApiQuery("status", typeof(string), "Only runs with this status.")]
    [ApiQuery("tag", typeof(string), "Only runs carrying this tag.")]
    [ApiResponse(StatusCodes.Status200OK, typeof(RunListEnvelope))]
    [ApiResponse(StatusCodes.Status400BadRequest, Problem = ProblemCodes.InvalidRequest)]
    [ApiResponse(StatusCodes.Status401Unauthorized, Problem = ProblemCodes.Unauthorized)]
    [ApiResponse(StatusCodes.Status403Forbidden, Problem = ProblemCodes.Forbidden)]
    public async Task<IResult> ListRuns(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Runs)] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        HttpContext context = request.HttpContext;
        (ApiPrincipal? principal, IResult? failure) = await auth.AuthenticateAsync(context, Scopes.Read).ConfigureAwait(false);
        if (principal is null)
        {
            return failure!;
        }

        (RunListQuery? query, Dictionary<string, string[]> errors) = RunListQuery.Parse(request.Query);
        if (query is null)
        {
            return Problems.InvalidRequest(context, errors);
        }

        (IReadOnlyList<RunRecord> runs, bool more) = await queries
            .ListAsync(principal.Account, query.AfterRunId, query.Status, query.Tag, query.Limit, context.RequestAborted).ConfigureAwait(false);
        string baseUrl = ApiRoutes.BaseUrl(request);
        string? next = more ? RunListQuery.Encode(runs[^1].RunId) : null;
        return JsonAnswer.Of(new RunListEnvelope(runs.Select(r => RunResource.From(r, baseUrl)).ToList(), next), StatusCodes.Status200OK);
    }
}
