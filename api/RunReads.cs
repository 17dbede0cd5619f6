using CodingAgent.Application.Keys;
using CodingAgent.Api.Auth;
using CodingAgent.Application;
using CodingAgent.Model;
using Microsoft.AspNetCore.Http;

namespace CodingAgent.Api;

/// <summary>
/// What every read of one run does first: authenticate with the read scope (401/403), then find the run in the key's
/// account (404 — another account's run is simply not there).
/// </summary>
public sealed class RunReads(ApiKeyAuthenticator auth, RunQueries queries)
{
    public Task<IResult> HandleAsync(HttpRequest request, string runId, Func<RunRecord, Task<IResult>> handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return HandleAsync(request, runId, (_, run) => handle(run));
    }

    /// <summary>As the other overload, for a handler that needs to know who asked (e.g. the stream, which is limited per key).</summary>
    public Task<IResult> HandleAsync(HttpRequest request, string runId, Func<ApiPrincipal, RunRecord, Task<IResult>> handle) =>
        HandleAsync(request, runId, Scopes.Read, handle);

    /// <summary>As the others, with another scope (a change without a body, such as <c>DELETE</c>, needs the write scope).</summary>
    public async Task<IResult> HandleAsync(HttpRequest request, string runId, string scope, Func<ApiPrincipal, RunRecord, Task<IResult>> handle)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(handle);
        HttpContext context = request.HttpContext;
        (ApiPrincipal? principal, IResult? failure) = await auth.AuthenticateAsync(context, scope).ConfigureAwait(false);
        if (principal is null)
        {
            return failure!;
        }

        RunRecord? run = await queries.GetAsync(principal.Run(runId), context.RequestAborted).ConfigureAwait(false);
        return run is null ? Problems.NotFound(context, $"Run '{runId}'") : await handle(principal, run).ConfigureAwait(false);
    }
}
