using CodingAgent.Storage;
using Microsoft.AspNetCore.Http;

namespace CodingAgent.Api.Auth;

/// <summary>Bearer-key authentication with scopes: 401 for a missing, malformed, unknown or revoked key; 403 without the scope.</summary>
public sealed class ApiKeyAuthenticator(ApiKeyStore keys)
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

        if (!ApiKeyFormat.TryParse(header["Bearer ".Length..].Trim(), out string keyId, out string secret))
        {
            return (null, Problems.Unauthorized(context, "The API key is not valid."));
        }

        ApiKeyRecord? key = await keys.GetAsync(keyId, context.RequestAborted).ConfigureAwait(false);
        if (key is null || key.RevokedAt is not null || !ApiKeyFormat.Matches(secret, key.SecretHash))
        {
            return (null, Problems.Unauthorized(context, "The API key is not valid."));
        }

        return key.Scopes.Contains(scope)
            ? (new ApiPrincipal(key.Account, key.KeyId, key.Scopes), null)
            : (null, Problems.Forbidden(context, scope));
    }
}
