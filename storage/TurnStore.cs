using Azure;
using Azure.Data.Tables;
using CodingAgent.Application.Model;

namespace CodingAgent.Storage;

/// <summary>Turn records in the <c>turns</c> table: partition = run id, row = zero-padded turn number.</summary>
public sealed class TurnStore(StorageClients clients)
{
    public async Task<TurnRecord?> GetAsync(string runId, int turn, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Turns, cancellationToken).ConfigureAwait(false);
        NullableResponse<TableEntity> response = await table
            .GetEntityIfExistsAsync<TableEntity>(runId, StorageNames.TurnKey(turn), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    public async Task InsertAsync(TurnRecord turn, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Turns, cancellationToken).ConfigureAwait(false);
        await table.AddEntityAsync(ToEntity(turn), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Last-writer-wins replace: only the activity running the turn writes it after acceptance.</summary>
    public async Task UpsertAsync(TurnRecord turn, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Turns, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(ToEntity(turn), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<TurnRecord>> ListAsync(string runId, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Turns, cancellationToken).ConfigureAwait(false);
        List<TurnRecord> turns = [];
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == runId, cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            turns.Add(FromEntity(entity));
        }

        return turns;
    }

    private static TableEntity ToEntity(TurnRecord turn)
    {
        TableEntity entity = new(turn.RunId, StorageNames.TurnKey(turn.Turn))
        {
            [nameof(TurnRecord.Turn)] = turn.Turn,
            [nameof(TurnRecord.Status)] = turn.Status,
            [nameof(TurnRecord.AcceptedAt)] = turn.AcceptedAt,
            [nameof(TurnRecord.StartedAt)] = turn.StartedAt,
            [nameof(TurnRecord.CompletedAt)] = turn.CompletedAt,
            [nameof(TurnRecord.UserMessageId)] = turn.UserMessageId,
            [nameof(TurnRecord.AssistantText)] = turn.AssistantText,
        };
        EntityJson.Put(entity, nameof(TurnRecord.PatchStats), turn.PatchStats);
        EntityJson.Put(entity, nameof(TurnRecord.Usage), turn.Usage);
        EntityJson.Put(entity, nameof(TurnRecord.Error), turn.Error);
        return entity;
    }

    private static TurnRecord FromEntity(TableEntity entity) => new()
    {
        RunId = entity.PartitionKey,
        Turn = entity.GetInt32(nameof(TurnRecord.Turn)) ?? 0,
        Status = entity.GetString(nameof(TurnRecord.Status)),
        AcceptedAt = entity.GetDateTimeOffset(nameof(TurnRecord.AcceptedAt)) ?? DateTimeOffset.MinValue,
        StartedAt = entity.GetDateTimeOffset(nameof(TurnRecord.StartedAt)),
        CompletedAt = entity.GetDateTimeOffset(nameof(TurnRecord.CompletedAt)),
        UserMessageId = entity.GetString(nameof(TurnRecord.UserMessageId)),
        AssistantText = entity.GetString(nameof(TurnRecord.AssistantText)),
        PatchStats = EntityJson.Get<PatchStats>(entity, nameof(TurnRecord.PatchStats)),
        Usage = EntityJson.Get<Usage>(entity, nameof(TurnRecord.Usage)) ?? Usage.Zero,
        Error = EntityJson.Get<RunError>(entity, nameof(TurnRecord.Error)),
        ETag = entity.ETag.ToString(),
    };
}
