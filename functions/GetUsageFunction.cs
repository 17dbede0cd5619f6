using CodingAgent.Application.Keys;
using CodingAgent.Api;
using CodingAgent.Api.Auth;
using CodingAgent.Api.Contracts;
using CodingAgent.Api.OpenApi;
using CodingAgent.Application;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Functions;

public sealed class GetUsageFunction(ApiKeyAuthenticator auth, UsageQueries usage, TimeProvider time)
{
    [Function(nameof(GetUsage))]
    [ApiOperation("The account's usage per UTC day (tokens, cost, sandbox seconds), each turn counted once.", Scope = Scopes.Read)]
    [ApiQuery("from", typeof(string), "First UTC day, yyyy-MM-dd (default: 29 days before `to`).")]
    [ApiQuery("to", typeof(string), "Last UTC day, yyyy-MM-dd (default: today); at most 366 days after `from`.")]
    [ApiResponse(StatusCodes.Status200OK, typeof(UsageEnvelope))]
    [ApiResponse(StatusCodes.Status400BadRequest, Problem = ProblemCodes.InvalidRequest)]
    [ApiResponse(StatusCodes.Status401Unauthorized, Problem = ProblemCodes.Unauthorized)]
    [ApiResponse(StatusCodes.Status403Forbidden, Problem = ProblemCodes.Forbidden)]
    public async Task<IResult> GetUsage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Usage)] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        HttpContext context = request.HttpContext;
        (ApiPrincipal? principal, IResult? failure) = await auth.AuthenticateAsync(context, Scopes.Read).ConfigureAwait(false);
        if (principal is null)
        {
            return failure!;
        }

        (UsageQuery? query, Dictionary<string, string[]> errors) = UsageQuery.Parse(request.Query, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        if (query is null)
        {
            return Problems.InvalidRequest(context, errors);
        }

        IReadOnlyList<DailyUsage> days = await usage.DailyAsync(principal.Account, query.From, query.To, context.RequestAborted).ConfigureAwait(false);
        return JsonAnswer.Of(UsageEnvelope.Of(principal.Account, query.From, query.To, days), StatusCodes.Status200OK);
    }
}
