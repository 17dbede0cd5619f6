using System.Globalization;
using Azure.Data.Tables;

namespace CodingAgent.Storage;

/// <summary>One row per model call the gateway forwarded, in the <c>modelusage</c> table: partition = run, row = turn + call.</summary>
public sealed class ModelUsageStore(StorageClients clients, TimeProvider time)
{
    public sealed record Call(int Turn, string Model, long InputTokens, long OutputTokens, long CachedTokens, decimal CostUsd, DateTimeOffset At);

    public async Task AddAsync(string runId, Call call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        TableClient table = await clients.TableAsync(StorageNames.ModelUsage, cancellationToken).ConfigureAwait(false);
        // Calls of one turn sort together; the tick count and a random tail keep concurrent calls apart.
        string row = StorageNames.TurnKey(call.Turn) + "-" + time.GetUtcNow().UtcTicks.ToString("D19", CultureInfo.InvariantCulture)
            + "-" + Guid.NewGuid().ToString("N")[..8];
        TableEntity entity = new(runId, row)
        {
            ["Turn"] = call.Turn,
            ["Model"] = call.Model,
            ["InputTokens"] = call.InputTokens,
            ["OutputTokens"] = call.OutputTokens,
            ["CachedTokens"] = call.CachedTokens,
            ["CostUsd"] = call.CostUsd.ToString(CultureInfo.InvariantCulture),
            ["At"] = call.At,
        };
        await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Call>> ListAsync(string runId, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.ModelUsage, cancellationToken).ConfigureAwait(false);
        List<Call> calls = [];
        await foreach (TableEntity e in table.QueryAsync<TableEntity>(e => e.PartitionKey == runId, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            calls.Add(new Call(e.GetInt32("Turn") ?? 0, e.GetString("Model") ?? string.Empty, e.GetInt64("InputTokens") ?? 0,
                e.GetInt64("OutputTokens") ?? 0, e.GetInt64("CachedTokens") ?? 0,
                decimal.Parse(e.GetString("CostUsd") ?? "0", CultureInfo.InvariantCulture), e.GetDateTimeOffset("At") ?? default));
        }

        return calls;
    }
}
