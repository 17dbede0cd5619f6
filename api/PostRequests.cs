using CodingAgent.Api.Auth;
using CodingAgent.Api.Idempotency;
using CodingAgent.Application;
using CodingAgent.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace CodingAgent.Api;

/// <summary>
/// The order every POST goes through, so they all behave alike: authenticate (401/403), read the body within the size
/// limit (413/415), then handle it under its <c>Idempotency-Key</c> (replay or 422) — parsing and validation (400) are
/// part of the handling.
/// </summary>
public sealed class PostRequests(ApiKeyAuthenticator auth, IdempotencyGuard idempotency, IOptions<LimitOptions> options)
{
    public async Task<IResult> HandleAsync(
        HttpRequest request, string scope, Func<ApiPrincipal, byte[], IRequestIntent, Task<IResult>> handle, bool bodyOptional = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(handle);
        HttpContext context = request.HttpContext;
        (ApiPrincipal? principal, IResult? failure) = await auth.AuthenticateAsync(context, scope).ConfigureAwait(false);
        if (principal is null)
        {
            return failure!;
        }

        (byte[]? body, IResult? problem) = await JsonBody.ReadAsync(context, options.Value.MaxBodyBytes, bodyOptional).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        return await idempotency.RunAsync(context, principal.Account, body, intent => handle(principal, body, intent)).ConfigureAwait(false);
    }
}
