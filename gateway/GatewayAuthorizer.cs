using System.Security.Cryptography;
using System.Text;
using CodingAgent.Model;
using CodingAgent.Storage;
using Microsoft.Extensions.Caching.Memory;

namespace CodingAgent.Gateway;

/// <summary>
/// Issues a run's gateway token and checks one: valid only while the run's session is active. The run record is read on
/// every call, so an ended run's token answers 401 on every instance at once, whatever it cached of the stored token.
/// </summary>
public sealed class GatewayAuthorizer(RunSecretStore secrets, RunStore runs, IMemoryCache cache)
{
    // A run's stored token never changes, so this process keeps it a while; the run itself is read on every call,
    // which is what ends a token the moment the session does.
    private static readonly TimeSpan StoredTokenKeptFor = TimeSpan.FromMinutes(5);

    /// <summary>Creates the token OpenCode will send and stores its secret (encrypted) with the run's other secrets.</summary>
    public async Task<GatewayToken> IssueAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        GatewayToken token = GatewayToken.Issue(run.RunId);
        await secrets.PutAsync(run.RunId, RunSecretStore.GatewayToken, Binding(run.Account, token.Secret), cancellationToken).ConfigureAwait(false);
        cache.Remove(CacheKey(run.RunId)); // a new OpenCode process of the run: its old token is gone
        return token;
    }

    /// <summary>The run a bearer token stands for, when the token is genuine and the run's session is active; else null.</summary>
    public async Task<RunRecord?> AuthorizeAsync(string? authorization, CancellationToken cancellationToken)
    {
        const string Scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            || !GatewayToken.TryParse(authorization[Scheme.Length..].Trim(), out GatewayToken? token))
        {
            return null;
        }

        string? account = Matches(cache.Get<string>(CacheKey(token.RunId)), token)
            ?? Matches(await StoredAsync(token.RunId, cancellationToken).ConfigureAwait(false), token);
        if (account is null)
        {
            return null;
        }

        RunRecord? run = await runs.GetAsync(new RunKey(account, token.RunId), cancellationToken).ConfigureAwait(false);
        return run is { SessionActive: true } && !RunStatuses.IsFinal(run.Status) ? run : null;
    }

    // Read through to storage (a token this process has not seen, or one issued since by another instance).
    private async Task<string?> StoredAsync(string runId, CancellationToken cancellationToken)
    {
        string? stored = await secrets.GetAsync(runId, RunSecretStore.GatewayToken, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            cache.Set(CacheKey(runId), stored, StoredTokenKeptFor);
        }

        return stored;
    }

    /// <summary>The account bound to <paramref name="token"/> when <paramref name="stored"/> is its binding; else null.</summary>
    private static string? Matches(string? stored, GatewayToken token)
    {
        int newline = stored?.IndexOf('\n', StringComparison.Ordinal) ?? -1;
        if (stored is null || newline <= 0)
        {
            return null;
        }

        string account = stored[..newline];
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(stored), Encoding.UTF8.GetBytes(Binding(account, token.Secret)))
            ? account
            : null;
    }

    private static string CacheKey(string runId) => "gateway-token:" + runId;

    // The stored value binds the secret to the run's account, so the token needs to carry only the run id.
    private static string Binding(string account, string secret) => account + "\n" + secret;
}
