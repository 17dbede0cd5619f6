using CodingAgent.Api;
using CodingAgent.Api.Auth;
using CodingAgent.Api.Contracts;
using CodingAgent.Application;
using CodingAgent.Application.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Functions;

public sealed class ListRunsFunction(ApiKeyAuthenticator auth, RunQueries queries)
{
    [Function(nameof(ListRuns))]
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
