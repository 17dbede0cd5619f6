using Azure;
using Azure.Data.Tables;
using CodingAgent.Model;

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

    /// <summary>Inserts the turn unless it is stored already (a retried request finishing what its first attempt began).</summary>
    public async Task InsertIfMissingAsync(TurnRecord turn, CancellationToken cancellationToken)
    {
        try
        {
            await InsertAsync(turn, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // stored by the first attempt
        }
    }

    /// <summary>
    /// Applies <paramref name="mutate"/> under optimistic concurrency (the activity running a turn and a cancel request
    /// may write it at the same time); a null from it leaves the turn as it is.
    /// </summary>
    public async Task<TurnRecord> UpdateAsync(string runId, int turn, Func<TurnRecord, TurnRecord?> mutate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mutate);
        TableClient table = await clients.TableAsync(StorageNames.Turns, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            TurnRecord current = await GetAsync(runId, turn, cancellationToken).ConfigureAwait(false)
                ?? throw new TurnNotFoundException($"Turn {turn} of run {runId} does not exist.");
            TurnRecord? changed = mutate(current);
            if (changed is null)
            {
                return current;
            }

            try
            {
                Response response = await table.UpdateEntityAsync(ToEntity(changed), new ETag(current.ETag!), TableUpdateMode.Replace, cancellationToken)
                    .ConfigureAwait(false);
                return changed with { ETag = response.Headers.ETag?.ToString() };
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Written in between: read again and re-apply.
            }
        }
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
            [nameof(TurnRecord.CancelRequested)] = turn.CancelRequested,
            [nameof(TurnRecord.FixOf)] = turn.FixOf,
            [nameof(TurnRecord.FixAttempt)] = turn.FixAttempt,
        };
        EntityJson.Put(entity, nameof(TurnRecord.PatchStats), turn.PatchStats);
        EntityJson.Put(entity, nameof(TurnRecord.Usage), turn.Usage);
        EntityJson.Put(entity, nameof(TurnRecord.Error), turn.Error);
        EntityJson.Put(entity, nameof(TurnRecord.Validation), turn.Validation);
        EntityJson.Put(entity, nameof(TurnRecord.Publish), turn.Publish);
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
        CancelRequested = entity.GetBoolean(nameof(TurnRecord.CancelRequested)) ?? false,
        FixOf = entity.GetInt32(nameof(TurnRecord.FixOf)),
        FixAttempt = entity.GetInt32(nameof(TurnRecord.FixAttempt)) ?? 0,
        Validation = EntityJson.Get<ValidationVerdict>(entity, nameof(TurnRecord.Validation)),
        Publish = EntityJson.Get<PublishResult>(entity, nameof(TurnRecord.Publish)),
        ETag = entity.ETag.ToString(),
    };
}
