using Azure;
using Azure.Data.Tables;
using CodingAgent.Model;

namespace CodingAgent.Storage;

/// <summary>Run records in the <c>runs</c> table: partition = account (tenant isolation by construction), row = run id.</summary>
public sealed class RunStore(StorageClients clients)
{
    private const int MaxConflictRetries = 20;
    private readonly LastWritten<RunRecord> lastWritten = new();

    public async Task<RunRecord?> GetAsync(RunKey run, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Runs, cancellationToken).ConfigureAwait(false);
        NullableResponse<TableEntity> response = await table
            .GetEntityIfExistsAsync<TableEntity>(run.Account, run.RunId, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        if (!response.HasValue)
        {
            lastWritten.Forget(run.ToString());
            return null;
        }

        RunRecord record = RunEntityMapper.FromEntity(response.Value!);
        lastWritten.Remember(run.ToString(), record);
        return record;
    }

    public async Task<RunRecord> InsertAsync(RunRecord record, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Runs, cancellationToken).ConfigureAwait(false);
        Response response = await table.AddEntityAsync(RunEntityMapper.ToEntity(record), cancellationToken).ConfigureAwait(false);
        RunRecord stored = record with { ETag = response.Headers.ETag?.ToString() };
        lastWritten.Remember(record.Key.ToString(), stored);
        return stored;
    }

    /// <summary>
    /// Applies <paramref name="mutate"/> under optimistic concurrency; a null from it leaves the run as it is. It starts from
    /// the copy this process last read or wrote (no read); a stale copy fails the write and the run is read again.
    /// </summary>
    public async Task<RunRecord> UpdateAsync(
        RunKey run, Func<RunRecord, RunRecord?> mutate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mutate);
        TableClient table = await clients.TableAsync(StorageNames.Runs, cancellationToken).ConfigureAwait(false);
        string key = run.ToString();
        for (int attempt = 0; ; attempt++)
        {
            RunRecord? copy = null;
            bool remembered = attempt == 0 && lastWritten.TryGet(key, out copy) && copy.ETag is not null;
            RunRecord current = remembered ? copy!
                : await GetAsync(run, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException($"Run {run.RunId} does not exist.");
            RunRecord? changed = mutate(current);
            if (changed is null)
            {
                if (remembered)
                {
                    continue; // "nothing to change" must be decided on the stored run, not on a copy
                }

                return current;
            }

            try
            {
                Response response = await table.UpdateEntityAsync(
                    RunEntityMapper.ToEntity(changed), new ETag(current.ETag!), TableUpdateMode.Replace, cancellationToken)
                    .ConfigureAwait(false);
                RunRecord stored = changed with { ETag = response.Headers.ETag?.ToString() };
                lastWritten.Remember(key, stored);
                return stored;
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < MaxConflictRetries)
            {
                // Someone else wrote the run in between: read again and re-apply.
                lastWritten.Forget(key);
            }
        }
    }

    /// <summary>
    /// One page of the account's runs, newest first (run ids sort that way), after <paramref name="afterRunId"/>. Tags are
    /// stored as JSON, so a tag filter is applied here while reading on.
    /// </summary>
    public async Task<(IReadOnlyList<RunRecord> Runs, bool More)> ListPageAsync(
        string account, string? afterRunId, string? status, string? tag, int limit, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Runs, cancellationToken).ConfigureAwait(false);
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {account} and RowKey gt {afterRunId ?? string.Empty}");
        if (status is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Status eq {status}");
        }

        List<RunRecord> runs = [];
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(1000, limit + 1), cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            RunRecord run = RunEntityMapper.FromEntity(entity);
            if (tag is not null && !run.Tags.Contains(tag, StringComparer.Ordinal))
            {
                continue;
            }

            if (runs.Count == limit)
            {
                return (runs, true);
            }

            runs.Add(run);
        }

        return (runs, false);
    }

    /// <summary>Creation times of the account's runs whose ids lie in the range (ids encode creation time, so a time window is a key range).</summary>
    public async Task<IReadOnlyList<DateTimeOffset>> CreatedSinceAsync(string account, string newestPossibleId, string oldestPossibleId, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Runs, cancellationToken).ConfigureAwait(false);
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {account} and RowKey ge {newestPossibleId} and RowKey le {oldestPossibleId}");
        List<DateTimeOffset> created = [];
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(filter, select: [nameof(RunRecord.CreatedAt)], cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            created.Add(entity.GetDateTimeOffset(nameof(RunRecord.CreatedAt)) ?? DateTimeOffset.MinValue);
        }

        return created;
    }

    /// <summary>Runs of every account still <c>queued</c> although created before <paramref name="createdBefore"/> (a cross-partition scan).</summary>
    public async Task<IReadOnlyList<RunRecord>> ListQueuedSinceBeforeAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Runs, cancellationToken).ConfigureAwait(false);
        string filter = TableClient.CreateQueryFilter($"Status eq {RunStatuses.Queued} and CreatedAt lt {createdBefore}");
        List<RunRecord> queued = [];
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            queued.Add(RunEntityMapper.FromEntity(entity));
        }

        return queued;
    }

    /// <summary>Runs holding a warm session, by status (a cross-partition scan of two columns), for the sessions gauge.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountActiveSessionsAsync(CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Runs, cancellationToken).ConfigureAwait(false);
        Dictionary<string, int> counts = new(StringComparer.Ordinal);
        string filter = TableClient.CreateQueryFilter($"SessionActive eq {true}");
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(filter, select: [nameof(RunRecord.Status)], cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            string status = entity.GetString(nameof(RunRecord.Status)) ?? "unknown";
            counts[status] = counts.GetValueOrDefault(status) + 1;
        }

        return counts;
    }
}
