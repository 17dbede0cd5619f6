using System.Globalization;
using Azure;
using Azure.Data.Tables;
using CodingAgent.Model;

namespace CodingAgent.Storage;

/// <summary>One row of usage: a turn's, or the sandbox's life after the last turn (turn 0, <see cref="UsageLedger.SandboxKind"/>).</summary>
public sealed record UsageEntry(string Account, string RunId, int Turn, string Kind, DateOnly Day, Usage Usage);

/// <summary>
/// The account's usage, one row per run + turn + kind, insert-only: a retried or replayed step finds its row and writes
/// nothing, so every row is recorded exactly once (the basis of debits; the daily totals are sums of rows).
/// </summary>
public sealed class UsageLedger(StorageClients clients)
{
    public const string TurnKind = "turn";
    public const string SandboxKind = "sandbox";
    private const string DayFormat = "yyyy-MM-dd";

    /// <summary>True when the row was written now, false when it already was.</summary>
    public async Task<bool> RecordAsync(UsageEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        TableClient table = await clients.TableAsync(StorageNames.UsageLedger, cancellationToken).ConfigureAwait(false);
        TableEntity entity = new(entry.Account, $"{entry.RunId}|{entry.Turn:D6}|{entry.Kind}")
        {
            ["RunId"] = entry.RunId,
            ["Turn"] = entry.Turn,
            ["Kind"] = entry.Kind,
            ["Day"] = entry.Day.ToString(DayFormat, CultureInfo.InvariantCulture),
            [nameof(Usage.InputTokens)] = entry.Usage.InputTokens,
            [nameof(Usage.OutputTokens)] = entry.Usage.OutputTokens,
            [nameof(Usage.CacheReadTokens)] = entry.Usage.CacheReadTokens,
            [nameof(Usage.CacheWriteTokens)] = entry.Usage.CacheWriteTokens,
            // decimal has no Table type: stored as invariant text, so no cent is lost to a double.
            [nameof(Usage.CostUsd)] = entry.Usage.CostUsd.ToString(CultureInfo.InvariantCulture),
            [nameof(Usage.SandboxSeconds)] = entry.Usage.SandboxSeconds,
        };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>The account's rows of the days <paramref name="from"/> to <paramref name="to"/> (inclusive); none when nothing was recorded yet.</summary>
    public async Task<IReadOnlyList<UsageEntry>> ListAsync(string account, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        TableClient table = clients.TableIfExists(StorageNames.UsageLedger);
        string filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {account} and Day ge {from.ToString(DayFormat, CultureInfo.InvariantCulture)} and Day le {to.ToString(DayFormat, CultureInfo.InvariantCulture)}");
        List<UsageEntry> entries = [];
        try
        {
            await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                entries.Add(new UsageEntry(account, row.GetString("RunId"), row.GetInt32("Turn") ?? 0, row.GetString("Kind"),
                    DateOnly.ParseExact(row.GetString("Day"), DayFormat, CultureInfo.InvariantCulture),
                    new Usage(
                        row.GetInt64(nameof(Usage.InputTokens)) ?? 0,
                        row.GetInt64(nameof(Usage.OutputTokens)) ?? 0,
                        decimal.Parse(row.GetString(nameof(Usage.CostUsd)) ?? "0", CultureInfo.InvariantCulture),
                        row.GetInt64(nameof(Usage.SandboxSeconds)) ?? 0,
                        row.GetInt64(nameof(Usage.CacheReadTokens)) ?? 0,
                        row.GetInt64(nameof(Usage.CacheWriteTokens)) ?? 0)));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return [];
        }

        return entries;
    }
}
