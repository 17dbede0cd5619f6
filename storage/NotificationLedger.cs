using Azure;
using Azure.Data.Tables;

namespace CodingAgent.Storage;

/// <summary>
/// The notifications a run has sent, in the <c>notifications</c> table (partition = run id, row = notification id), so a
/// retried activity does not send one again.
/// </summary>
public sealed class NotificationLedger(StorageClients clients)
{
    public async Task<bool> WasSentAsync(string runId, string notificationId, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Notifications, cancellationToken).ConfigureAwait(false);
        NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(runId, notificationId, select: ["RowKey"], cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return row.HasValue;
    }

    public async Task RecordSentAsync(string runId, string notificationId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Notifications, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(new TableEntity(runId, notificationId) { ["SentAt"] = at }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }
}
