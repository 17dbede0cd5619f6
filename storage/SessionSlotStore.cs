using CodingAgent.Model;
using Azure;
using Azure.Data.Tables;

namespace CodingAgent.Storage;

/// <summary>
/// The runs holding an account's active-session slots, in the <c>sessionslots</c> table: partition = account, one row
/// per holding run (<c>run:{id}</c>) and a <c>count</c> row. Every change writes the count row under its ETag and the run
/// rows in the same entity-group transaction, so racing creations on any number of instances can never hold more slots
/// than the limit, and the count never drifts from the rows.
/// </summary>
public sealed class SessionSlotStore(StorageClients clients)
{
    private const string CountRow = "count";
    private const string RunRowPrefix = "run:";

    public sealed record Count(int Held, ETag? ETag);

    public async Task<Count> ReadCountAsync(string account, CancellationToken cancellationToken)
    {
        // Read without creating the table: a refused creation changes nothing.
        try
        {
            NullableResponse<TableEntity> row = await clients.TableIfExists(StorageNames.SessionSlots)
                .GetEntityIfExistsAsync<TableEntity>(account, CountRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            return row.HasValue ? new Count(row.Value!.GetInt32("Held") ?? 0, row.Value.ETag) : new Count(0, null);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return new Count(0, null);
        }
    }

    public async Task<bool> HoldsAsync(RunKey run, CancellationToken cancellationToken)
    {
        try
        {
            NullableResponse<TableEntity> row = await clients.TableIfExists(StorageNames.SessionSlots)
                .GetEntityIfExistsAsync<TableEntity>(run.Account, RunRowPrefix + run.RunId, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false);
            return row.HasValue;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>The runs holding a slot, with when each reserved it.</summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> ListAsync(string account, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.SessionSlots, cancellationToken).ConfigureAwait(false);
        Dictionary<string, DateTimeOffset> held = [];
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {account} and RowKey gt {RunRowPrefix} and RowKey lt {"run;"}");
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            held[row.RowKey[RunRowPrefix.Length..]] = row.GetDateTimeOffset("ReservedAt") ?? DateTimeOffset.MinValue;
        }

        return held;
    }

    /// <summary>
    /// In one transaction: adds <paramref name="adding"/> (if not null), removes <paramref name="removing"/>, and moves the
    /// count from <paramref name="read"/>; false when another writer changed the count first.
    /// </summary>
    public async Task<bool> TryChangeAsync(
        string account, Count read, string? adding, DateTimeOffset at, IReadOnlyCollection<string> removing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(removing);
        TableClient table = await clients.TableAsync(StorageNames.SessionSlots, cancellationToken).ConfigureAwait(false);
        int held = read.Held - removing.Count + (adding is null ? 0 : 1);
        TableEntity count = new(account, CountRow) { ["Held"] = Math.Max(0, held) };
        List<TableTransactionAction> actions =
        [
            read.ETag is { } etag
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, count, etag)
                : new TableTransactionAction(TableTransactionActionType.Add, count),
        ];
        if (adding is not null)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add,
                new TableEntity(account, RunRowPrefix + adding) { ["ReservedAt"] = at }));
        }

        actions.AddRange(removing.Select(runId => new TableTransactionAction(TableTransactionActionType.Delete,
            new TableEntity(account, RunRowPrefix + runId), ETag.All)));
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            // The count moved (412, or 409 when two writers both added it first), or a row to delete is gone already.
            return false;
        }
    }
}
