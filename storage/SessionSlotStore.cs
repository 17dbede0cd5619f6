using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace CodingAgent.Storage;

/// <summary>
/// The runs holding one of an account's active-session slots, as one row per account in the <c>sessionslots</c> table
/// (run id → when it was reserved). Every change is a conditional write on the row's ETag, so racing creations on any
/// number of instances can never hold more slots than the limit.
/// </summary>
public sealed class SessionSlotStore(StorageClients clients)
{
    private const string Row = "active";

    public sealed record Slots(IReadOnlyDictionary<string, DateTimeOffset> Runs, ETag? ETag);

    public async Task<Slots> ReadAsync(string account, CancellationToken cancellationToken)
    {
        // Read without creating the table: a refused creation changes nothing.
        TableClient table = clients.TableIfExists(StorageNames.SessionSlots);
        try
        {
            NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(account, Row, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return row.HasValue
                ? new Slots(JsonSerializer.Deserialize<Dictionary<string, DateTimeOffset>>(row.Value!.GetString("Runs") ?? "{}") ?? [], row.Value.ETag)
                : new Slots(new Dictionary<string, DateTimeOffset>(), null);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return new Slots(new Dictionary<string, DateTimeOffset>(), null);
        }
    }

    /// <summary>Writes <paramref name="runs"/> if the row is still as <paramref name="read"/> found it; false when another writer came first.</summary>
    public async Task<bool> TryWriteAsync(string account, Slots read, IReadOnlyDictionary<string, DateTimeOffset> runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        TableClient table = await clients.TableAsync(StorageNames.SessionSlots, cancellationToken).ConfigureAwait(false);
        TableEntity entity = new(account, Row) { ["Runs"] = JsonSerializer.Serialize(runs) };
        try
        {
            if (read.ETag is { } etag)
            {
                await table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }
}
