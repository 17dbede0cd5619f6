using Azure;
using Azure.Data.Tables;
using CodingAgent.Model;

namespace CodingAgent.Storage;

/// <summary>The <c>deliveries</c> table: partition = run id, row = delivery id (the delivery log of a run).</summary>
public sealed class DeliveryStore(StorageClients clients)
{
    /// <summary>Stores a new delivery; false when it exists already (a retried activity made it before).</summary>
    public async Task<bool> TryAddAsync(DeliveryRecord delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        TableClient table = await clients.TableAsync(StorageNames.Deliveries, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(ToEntity(delivery), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task<DeliveryRecord?> GetAsync(string runId, string deliveryId, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Deliveries, cancellationToken).ConfigureAwait(false);
        NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(runId, deliveryId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    public async Task PutAsync(DeliveryRecord delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        TableClient table = await clients.TableAsync(StorageNames.Deliveries, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(ToEntity(delivery), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The run's deliveries, oldest first; read without creating the table.</summary>
    public async Task<IReadOnlyList<DeliveryRecord>> ListAsync(string runId, CancellationToken cancellationToken)
    {
        List<DeliveryRecord> deliveries = [];
        try
        {
            await foreach (TableEntity entity in clients.TableIfExists(StorageNames.Deliveries)
                .QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {runId}"), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                deliveries.Add(FromEntity(entity));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return [];
        }

        return [.. deliveries.OrderBy(d => d.CreatedAt)];
    }

    private static TableEntity ToEntity(DeliveryRecord d) => new(d.RunId, d.DeliveryId)
    {
        [nameof(DeliveryRecord.Kind)] = d.Kind,
        [nameof(DeliveryRecord.Event)] = d.Event,
        [nameof(DeliveryRecord.Turn)] = d.Turn,
        [nameof(DeliveryRecord.Url)] = d.Url,
        [nameof(DeliveryRecord.Body)] = d.Body,
        [nameof(DeliveryRecord.Status)] = d.Status,
        [nameof(DeliveryRecord.Attempts)] = d.Attempts,
        [nameof(DeliveryRecord.LastStatusCode)] = d.LastStatusCode,
        [nameof(DeliveryRecord.LastError)] = d.LastError,
        [nameof(DeliveryRecord.CreatedAt)] = d.CreatedAt,
        [nameof(DeliveryRecord.DeliveredAt)] = d.DeliveredAt,
    };

    private static DeliveryRecord FromEntity(TableEntity e) => new()
    {
        RunId = e.PartitionKey,
        DeliveryId = e.RowKey,
        Kind = e.GetString(nameof(DeliveryRecord.Kind)) ?? string.Empty,
        Event = e.GetString(nameof(DeliveryRecord.Event)) ?? string.Empty,
        Turn = e.GetInt32(nameof(DeliveryRecord.Turn)),
        Url = e.GetString(nameof(DeliveryRecord.Url)) ?? string.Empty,
        Body = e.GetString(nameof(DeliveryRecord.Body)) ?? string.Empty,
        Status = e.GetString(nameof(DeliveryRecord.Status)) ?? DeliveryStatuses.Pending,
        Attempts = e.GetInt32(nameof(DeliveryRecord.Attempts)) ?? 0,
        LastStatusCode = e.GetInt32(nameof(DeliveryRecord.LastStatusCode)),
        LastError = e.GetString(nameof(DeliveryRecord.LastError)),
        CreatedAt = e.GetDateTimeOffset(nameof(DeliveryRecord.CreatedAt)) ?? DateTimeOffset.MinValue,
        DeliveredAt = e.GetDateTimeOffset(nameof(DeliveryRecord.DeliveredAt)),
        ETag = e.ETag.ToString(),
    };
}
