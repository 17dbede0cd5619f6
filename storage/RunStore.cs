using Azure;
using Azure.Data.Tables;
using CodingAgent.Application.Model;

namespace CodingAgent.Storage;

/// <summary>Run records in the <c>runs</c> table: partition = account (tenant isolation by construction), row = run id.</summary>
public sealed class RunStore(StorageClients clients)
{
    private const int MaxConflictRetries = 20;

    public async Task<RunRecord?> GetAsync(string account, string runId, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Runs, cancellationToken).ConfigureAwait(false);
        NullableResponse<TableEntity> response = await table
            .GetEntityIfExistsAsync<TableEntity>(account, runId, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return response.HasValue ? RunEntityMapper.FromEntity(response.Value!) : null;
    }

    public async Task<RunRecord> InsertAsync(RunRecord record, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Runs, cancellationToken).ConfigureAwait(false);
        Response response = await table.AddEntityAsync(RunEntityMapper.ToEntity(record), cancellationToken).ConfigureAwait(false);
        return record with { ETag = response.Headers.ETag?.ToString() };
    }

    /// <summary>Applies <paramref name="mutate"/> under optimistic concurrency; a null from it leaves the run as it is.</summary>
    public async Task<RunRecord> UpdateAsync(
        string account, string runId, Func<RunRecord, RunRecord?> mutate, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Runs, cancellationToken).ConfigureAwait(false);
        for (int attempt = 0; ; attempt++)
        {
            RunRecord current = await GetAsync(account, runId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Run {runId} does not exist.");
            RunRecord? changed = mutate(current);
            if (changed is null)
            {
                return current;
            }

            try
            {
                Response response = await table.UpdateEntityAsync(
                    RunEntityMapper.ToEntity(changed), new ETag(current.ETag!), TableUpdateMode.Replace, cancellationToken)
                    .ConfigureAwait(false);
                return changed with { ETag = response.Headers.ETag?.ToString() };
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < MaxConflictRetries)
            {
                // Someone else wrote the run in between: read again and re-apply.
            }
        }
    }

    public async IAsyncEnumerable<RunRecord> ListAsync(
        string account, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Runs, cancellationToken).ConfigureAwait(false);
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == account, cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            yield return RunEntityMapper.FromEntity(entity);
        }
    }
}
