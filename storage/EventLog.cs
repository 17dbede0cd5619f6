using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using CodingAgent.Json;
using CodingAgent.Model;

namespace CodingAgent.Storage;

/// <summary>
/// The run's ordered event log in the <c>events</c> table: partition = run id, row = zero-padded sequence number.
/// A counter row in the same partition is updated in the same entity-group transaction as the new events,
/// so concurrent writers can never hand out one sequence number twice.
/// </summary>
public sealed class EventLog(StorageClients clients, EventLogSignals signals, TimeProvider time)
{
    // The counter row as this process last wrote it: the next append goes straight to the transaction, and a writer
    // elsewhere in between makes the transaction fail on the ETag, which sends us back to reading the row.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Last, ETag ETag)> counters = new(StringComparer.Ordinal);

    private const string CounterRow = "~counter";
    private const string LastSeqProperty = "LastSeq";
    private const int MaxBatch = 99; // entity-group transactions take 100 operations; one is the counter

    public async Task<IReadOnlyList<RunEvent>> AppendAsync(
        string runId, IReadOnlyList<RunEventDraft> drafts, CancellationToken cancellationToken)
    {
        List<RunEvent> appended = [];
        for (int offset = 0; offset < drafts.Count; offset += MaxBatch)
        {
            appended.AddRange(await AppendBatchAsync(runId, drafts.Skip(offset).Take(MaxBatch).ToList(), cancellationToken)
                .ConfigureAwait(false));
        }

        return appended;
    }

    public async Task<IReadOnlyList<RunEvent>> ReadAsync(
        string runId, long afterSeq, int max, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Events, cancellationToken).ConfigureAwait(false);
        string from = StorageNames.SeqKey(afterSeq);
        List<RunEvent> events = [];
        await foreach (TableEntity entity in table
            .QueryAsync<TableEntity>(e => e.PartitionKey == runId && e.RowKey.CompareTo(from) > 0 && e.RowKey.CompareTo(CounterRow) < 0,
                cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            events.Add(FromEntity(entity));
            if (events.Count >= max)
            {
                break;
            }
        }

        return events;
    }

    /// <summary>Keys of the events already stored for a turn, so a retried writer can skip them.</summary>
    public async Task<HashSet<string>> KeysOfTurnAsync(string runId, int turn, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Events, cancellationToken).ConfigureAwait(false);
        HashSet<string> keys = new(StringComparer.Ordinal);
        await foreach (TableEntity entity in table
            .QueryAsync<TableEntity>(e => e.PartitionKey == runId && e.RowKey.CompareTo(CounterRow) < 0 && e.GetInt32("Turn") == turn,
                select: ["Key"], cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            if (entity.GetString("Key") is { } key)
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    private async Task<IReadOnlyList<RunEvent>> AppendBatchAsync(
        string runId, IReadOnlyList<RunEventDraft> drafts, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Events, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            (long last, ETag? etag) = counters.TryGetValue(runId, out (long Last, ETag ETag) known)
                ? (known.Last, known.ETag)
                : await ReadCounterAsync(table, runId, cancellationToken).ConfigureAwait(false);
            DateTimeOffset at = time.GetUtcNow();
            List<RunEvent> events = drafts
                .Select((d, i) => new RunEvent(last + 1 + i, d.Turn, at, d.Type, JsonSerializer.SerializeToElement(d.Data, JsonDefaults.Options)))
                .ToList();

            List<TableTransactionAction> actions = events
                .Select((e, i) => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(runId, e, drafts[i].Key)))
                .ToList();
            TableEntity nextCounter = new(runId, CounterRow) { [LastSeqProperty] = last + events.Count };
            actions.Add(etag is { } current
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, nextCounter, current)
                : new TableTransactionAction(TableTransactionActionType.Add, nextCounter));

            try
            {
                Response<IReadOnlyList<Response>> result = await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                if (result.Value[^1].Headers.ETag is { } written)
                {
                    counters[runId] = (last + events.Count, written);
                }
                else
                {
                    counters.TryRemove(runId, out _);
                }

                signals.Appended(runId);
                return events;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another writer took these numbers first; read the counter again.
                counters.TryRemove(runId, out _);
            }
            catch
            {
                counters.TryRemove(runId, out _);
                throw;
            }
        }
    }

    private static async Task<(long Last, ETag? ETag)> ReadCounterAsync(TableClient table, string runId, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> counter = await table.GetEntityIfExistsAsync<TableEntity>(runId, CounterRow, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return counter.HasValue ? (counter.Value!.GetInt64(LastSeqProperty) ?? 0, counter.Value.ETag) : (0, null);
    }

    private static TableEntity ToEntity(string runId, RunEvent e, string key) => new(runId, StorageNames.SeqKey(e.Seq))
    {
        ["Seq"] = e.Seq,
        ["Turn"] = e.Turn,
        ["At"] = e.At,
        ["Type"] = e.Type,
        ["Key"] = key,
        ["Data"] = e.Data.GetRawText(),
    };

    private static RunEvent FromEntity(TableEntity entity)
    {
        using JsonDocument data = JsonDocument.Parse(entity.GetString("Data") ?? "{}");
        return new RunEvent(
            entity.GetInt64("Seq") ?? 0,
            entity.GetInt32("Turn") ?? 0,
            entity.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
            entity.GetString("Type"),
            data.RootElement.Clone());
    }
}
