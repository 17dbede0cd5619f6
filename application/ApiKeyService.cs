using CodingAgent.Api.Auth;
using CodingAgent.Storage;

namespace CodingAgent.Application;

/// <summary>Key management behind the command-line entry: create (shown once), list, revoke.</summary>
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
}
