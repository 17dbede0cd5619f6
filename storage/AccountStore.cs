using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace CodingAgent.Storage;

/// <summary>Per-account settings in the <c>accounts</c> table: partition = account, one <c>settings</c> row.</summary>
public sealed class AccountStore(StorageClients clients)
{
    private const string SettingsRow = "settings";
    private const int MaxConflictRetries = 10;

    /// <summary>The repository patterns the account may name (empty when none were granted).</summary>
    public async Task<IReadOnlyList<string>> AllowedRepositoriesAsync(string account, CancellationToken cancellationToken)
    {
        // Read without creating the table: a refused request leaves storage exactly as it was.
        TableClient table = clients.TableIfExists(StorageNames.Accounts);
        try
        {
            NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(account, SettingsRow, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return row.HasValue ? Patterns(row.Value!) : [];
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return []; // no account has settings yet
        }
    }

    /// <summary>Adds or removes patterns under optimistic concurrency; returns the list as stored.</summary>
    public async Task<IReadOnlyList<string>> ChangeAllowedRepositoriesAsync(
        string account, Func<IReadOnlyList<string>, IReadOnlyList<string>> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        TableClient table = await clients.TableAsync(StorageNames.Accounts, cancellationToken).ConfigureAwait(false);
        for (int attempt = 0; ; attempt++)
        {
            NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(account, SettingsRow, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            IReadOnlyList<string> changed = change(row.HasValue ? Patterns(row.Value!) : []);
            TableEntity entity = new(account, SettingsRow) { ["AllowedRepositories"] = JsonSerializer.Serialize(changed) };
            try
            {
                if (row.HasValue)
                {
                    await table.UpdateEntityAsync(entity, row.Value!.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }

                return changed;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < MaxConflictRetries)
            {
            }
        }
    }

    private static string[] Patterns(TableEntity row) =>
        row.GetString("AllowedRepositories") is { } json ? JsonSerializer.Deserialize<string[]>(json) ?? [] : [];
}
