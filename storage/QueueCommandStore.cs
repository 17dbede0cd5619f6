using Azure.Data.Tables;
using CodingAgent.Model;

namespace CodingAgent.Storage;

/// <summary>The <c>queuecommands</c> table: partition = account, row = queue message id; a redelivery overwrites its row.</summary>
public sealed class QueueCommandStore(StorageClients clients)
{
    public async Task PutAsync(QueueCommandRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        TableClient table = await clients.TableAsync(StorageNames.QueueCommands, cancellationToken).ConfigureAwait(false);
        TableEntity entity = new(record.Account, record.MessageId)
        {
            [nameof(QueueCommandRecord.Type)] = record.Type,
            [nameof(QueueCommandRecord.Outcome)] = record.Outcome,
            [nameof(QueueCommandRecord.Reason)] = record.Reason,
            [nameof(QueueCommandRecord.RunId)] = record.RunId,
            [nameof(QueueCommandRecord.Turn)] = record.Turn,
            [nameof(QueueCommandRecord.IdempotencyKey)] = record.IdempotencyKey,
            [nameof(QueueCommandRecord.DequeueCount)] = record.DequeueCount,
            [nameof(QueueCommandRecord.At)] = record.At,
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<QueueCommandRecord>> ListAsync(string account, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.QueueCommands, cancellationToken).ConfigureAwait(false);
        List<QueueCommandRecord> records = [];
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {account}"), cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            records.Add(new QueueCommandRecord
            {
                Account = entity.PartitionKey,
                MessageId = entity.RowKey,
                Type = entity.GetString(nameof(QueueCommandRecord.Type)),
                Outcome = entity.GetString(nameof(QueueCommandRecord.Outcome)) ?? string.Empty,
                Reason = entity.GetString(nameof(QueueCommandRecord.Reason)),
                RunId = entity.GetString(nameof(QueueCommandRecord.RunId)),
                Turn = entity.GetInt32(nameof(QueueCommandRecord.Turn)),
                IdempotencyKey = entity.GetString(nameof(QueueCommandRecord.IdempotencyKey)),
                DequeueCount = entity.GetInt64(nameof(QueueCommandRecord.DequeueCount)) ?? 0,
                At = entity.GetDateTimeOffset(nameof(QueueCommandRecord.At)) ?? DateTimeOffset.MinValue,
            });
        }

        return records;
    }
}
