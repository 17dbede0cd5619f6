using Azure;
using Azure.Data.Tables;

namespace CodingAgent.Storage;

/// <summary>
/// Each account's webhook signing secret, encrypted at rest, in the <c>accounts</c> table (row <c>webhook</c>): made on
/// first use, replaced on rotation.
/// </summary>
public sealed class WebhookSecretStore(StorageClients clients, SecretProtector protector)
{
    private const string WebhookRow = "webhook";

    public async Task<string> GetOrCreateAsync(string account, Func<string> create, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(create);
        TableClient table = await clients.TableAsync(StorageNames.Accounts, cancellationToken).ConfigureAwait(false);
        NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(account, WebhookRow, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        if (row.HasValue && row.Value!.GetString("Secret") is { } stored)
        {
            return protector.Unprotect(stored);
        }

        string secret = create();
        try
        {
            await table.AddEntityAsync(new TableEntity(account, WebhookRow) { ["Secret"] = protector.Protect(secret) }, cancellationToken).ConfigureAwait(false);
            return secret;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return await GetOrCreateAsync(account, create, cancellationToken).ConfigureAwait(false); // made at the same moment elsewhere
        }
    }

    public async Task<string> RotateAsync(string account, string secret, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Accounts, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(new TableEntity(account, WebhookRow) { ["Secret"] = protector.Protect(secret) }, TableUpdateMode.Replace, cancellationToken)
            .ConfigureAwait(false);
        return secret;
    }
}
