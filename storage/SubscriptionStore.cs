using Azure;
using Azure.Data.Tables;
using CodingAgent.Model;

namespace CodingAgent.Storage;

/// <summary>The <c>subscriptions</c> table: partition = run id, row = subscription id.</summary>
public sealed class SubscriptionStore(StorageClients clients)
{
    public async Task PutAsync(SubscriptionRecord subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        TableClient table = await clients.TableAsync(StorageNames.Subscriptions, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(new TableEntity(subscription.RunId, subscription.SubscriptionId)
        {
            [nameof(SubscriptionRecord.CallbackUrl)] = subscription.CallbackUrl,
            [nameof(SubscriptionRecord.Until)] = subscription.Until,
            [nameof(SubscriptionRecord.Turn)] = subscription.Turn,
            [nameof(SubscriptionRecord.Status)] = subscription.Status,
            [nameof(SubscriptionRecord.CreatedAt)] = subscription.CreatedAt,
        }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SubscriptionRecord?> GetAsync(string runId, string subscriptionId, CancellationToken cancellationToken)
    {
        try
        {
            NullableResponse<TableEntity> row = await clients.TableIfExists(StorageNames.Subscriptions)
                .GetEntityIfExistsAsync<TableEntity>(runId, subscriptionId, cancellationToken: cancellationToken).ConfigureAwait(false);
            return row.HasValue ? FromEntity(row.Value!) : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<SubscriptionRecord>> ListActiveAsync(string runId, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Subscriptions, cancellationToken).ConfigureAwait(false);
        List<SubscriptionRecord> active = [];
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {runId} and Status eq {SubscriptionStatuses.Active}");
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            active.Add(FromEntity(entity));
        }

        return active;
    }

    private static SubscriptionRecord FromEntity(TableEntity e) => new()
    {
        RunId = e.PartitionKey,
        SubscriptionId = e.RowKey,
        CallbackUrl = e.GetString(nameof(SubscriptionRecord.CallbackUrl)) ?? string.Empty,
        Until = e.GetString(nameof(SubscriptionRecord.Until)) ?? SubscriptionUntil.Idle,
        Turn = e.GetInt32(nameof(SubscriptionRecord.Turn)),
        Status = e.GetString(nameof(SubscriptionRecord.Status)) ?? SubscriptionStatuses.Active,
        CreatedAt = e.GetDateTimeOffset(nameof(SubscriptionRecord.CreatedAt)) ?? DateTimeOffset.MinValue,
    };
}
