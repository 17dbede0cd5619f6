using CodingAgent.Storage;

namespace CodingAgent.Application.Keys;

/// <summary>API keys: checking a presented key for every front door, and the command line's create (shown once), list, revoke.</summary>
public sealed class ApiKeyService(ApiKeyStore keys, TimeProvider time)
{
    public async Task<(ApiKeyRecord Record, string Key)> CreateAsync(string account, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(account) || account.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_')) || account.Length > 64)
        {
            throw new ArgumentException("An account is 1–64 letters, digits, '-' or '_'.", nameof(account));
        }

        string[] unknown = scopes.Except(Scopes.All).ToArray();
        if (scopes.Count == 0 || unknown.Length > 0)
        {
            throw new ArgumentException($"Scopes must be among: {string.Join(", ", Scopes.All)}.", nameof(scopes));
        }

        (string keyId, string secret, string key) = ApiKeyFormat.NewKey();
        ApiKeyRecord record = new(keyId, account, scopes.Distinct().ToList(), ApiKeyFormat.Hash(secret), time.GetUtcNow(), null);
        await keys.InsertAsync(record, cancellationToken).ConfigureAwait(false);
        return (record, key);
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(string? account, CancellationToken cancellationToken) => keys.ListAsync(account, cancellationToken);

    public Task<bool> RevokeAsync(string keyId, CancellationToken cancellationToken) => keys.RevokeAsync(keyId, time.GetUtcNow(), cancellationToken);

    /// <summary>The grant of <paramref name="presented"/> (<c>crt_{id}_{secret}</c>), or null for a malformed, unknown or revoked key.</summary>
    public async Task<ApiKeyGrant?> VerifyAsync(string presented, CancellationToken cancellationToken)
    {
        if (!ApiKeyFormat.TryParse(presented, out string keyId, out string secret))
        {
            return null;
        }

        ApiKeyRecord? key = await keys.GetAsync(keyId, cancellationToken).ConfigureAwait(false);
        return key is null || key.RevokedAt is not null || !ApiKeyFormat.Matches(secret, key.SecretHash)
            ? null
            : new ApiKeyGrant(key.Account, key.KeyId, key.Scopes);
    }

    /// <summary>Whether the key still exists and is not revoked (long-lived streams check it as they go).</summary>
    public async Task<bool> IsActiveAsync(string keyId, CancellationToken cancellationToken) =>
        await keys.GetAsync(keyId, cancellationToken).ConfigureAwait(false) is { RevokedAt: null };
}
