using System.Security.Cryptography;
using System.Text;
using CodingAgent.Application.Model;
using CodingAgent.Storage;

namespace CodingAgent.Gateway;

/// <summary>
/// Issues a run's gateway token and checks one: valid only while the run's session is active. Teardown deletes the run's
/// secrets, so an ended run's token answers 401 on every instance, whatever it cached.
/// </summary>
public sealed class GatewayAuthorizer(RunSecretStore secrets, RunStore runs)
{
    /// <summary>Creates the token OpenCode will send and stores its secret (encrypted) with the run's other secrets.</summary>
    public async Task<GatewayToken> IssueAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        GatewayToken token = GatewayToken.Issue(run.RunId);
        await secrets.PutAsync(run.RunId, RunSecretStore.GatewayToken, Binding(run.Account, token.Secret), cancellationToken).ConfigureAwait(false);
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

        string? stored = await secrets.GetAsync(token.RunId, RunSecretStore.GatewayToken, cancellationToken).ConfigureAwait(false);
        int newline = stored?.IndexOf('\n', StringComparison.Ordinal) ?? -1;
        if (stored is null || newline <= 0)
        {
            return null;
        }

        string account = stored[..newline];
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(stored), Encoding.UTF8.GetBytes(Binding(account, token.Secret))))
        {
            return null;
        }

        RunRecord? run = await runs.GetAsync(account, token.RunId, cancellationToken).ConfigureAwait(false);
        return run is { SessionActive: true } && !RunStatuses.IsFinal(run.Status) ? run : null;
    }

    // The stored value binds the secret to the run's account, so the token needs to carry only the run id.
    private static string Binding(string account, string secret) => account + "\n" + secret;
}
