using Azure;
using Azure.Data.Tables;

namespace CodingAgent.Storage;

/// <summary>API keys in the <c>apikeys</c> table: one partition, row = key id (the non-secret part of the key).</summary>
public sealed class ApiKeyStore(StorageClients clients)
{
    private const string Partition = "key";

    public async Task InsertAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.ApiKeys, cancellationToken).ConfigureAwait(false);
        await table.AddEntityAsync(ToEntity(key), cancellationToken).ConfigureAwait(false);
    }

    public async Task<ApiKeyRecord?> GetAsync(string keyId, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.ApiKeys, cancellationToken).ConfigureAwait(false);
        NullableResponse<TableEntity> response = await table
            .GetEntityIfExistsAsync<TableEntity>(Partition, keyId, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(string? account, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.ApiKeys, cancellationToken).ConfigureAwait(false);
        List<ApiKeyRecord> keys = [];
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            ApiKeyRecord key = FromEntity(entity);
            if (account is null || key.Account == account)
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    public async Task<bool> RevokeAsync(string keyId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ApiKeyRecord? key = await GetAsync(keyId, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return false;
        }

        TableClient table = await clients.TableAsync(StorageNames.ApiKeys, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(ToEntity(key with { RevokedAt = key.RevokedAt ?? at }), TableUpdateMode.Replace, cancellationToken)
            .ConfigureAwait(false);
        return true;
    }

    private static TableEntity ToEntity(ApiKeyRecord key) => new(Partition, key.KeyId)
    {
        [nameof(ApiKeyRecord.Account)] = key.Account,
        [nameof(ApiKeyRecord.Scopes)] = string.Join(' ', key.Scopes),
        [nameof(ApiKeyRecord.SecretHash)] = key.SecretHash,
        [nameof(ApiKeyRecord.CreatedAt)] = key.CreatedAt,
        [nameof(ApiKeyRecord.RevokedAt)] = key.RevokedAt,
    };

    private static ApiKeyRecord FromEntity(TableEntity entity) => new(
        entity.RowKey,
        entity.GetString(nameof(ApiKeyRecord.Account)),
        (entity.GetString(nameof(ApiKeyRecord.Scopes)) ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        entity.GetString(nameof(ApiKeyRecord.SecretHash)),
        entity.GetDateTimeOffset(nameof(ApiKeyRecord.CreatedAt)) ?? DateTimeOffset.MinValue,
        entity.GetDateTimeOffset(nameof(ApiKeyRecord.RevokedAt)));
}
