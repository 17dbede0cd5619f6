using CodingAgent.Application.Keys;
using Microsoft.AspNetCore.Http;

namespace CodingAgent.Api.Auth;

/// <summary>Bearer-key authentication with scopes: 401 for a missing, malformed, unknown or revoked key; 403 without the scope.</summary>
public sealed class ApiKeyAuthenticator(ApiKeyService keys)
{
    public async Task<(ApiPrincipal? Principal, IResult? Failure)> AuthenticateAsync(HttpContext context, string scope)
    {
        ArgumentNullException.ThrowIfNull(context);
        string header = context.Request.Headers.Authorization.ToString();
        // The scheme name is case-insensitive (RFC 9110 §11.1).
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.Unauthorized(context, "Send 'Authorization: Bearer crt_…'."));
        }

        ApiKeyGrant? key = await keys.VerifyAsync(header["Bearer ".Length..].Trim(), context.RequestAborted).ConfigureAwait(false);
        if (key is null)
        {
            return (null, Problems.Unauthorized(context, "The API key is not valid."));
        }

        return key.Scopes.Contains(scope)
            ? (new ApiPrincipal(key.Account, key.KeyId, key.Scopes), null)
            : (null, Problems.Forbidden(context, scope));
    }
}
