using CodingAgent.Model;
using CodingAgent.Storage;

namespace CodingAgent.Application;

/// <summary>An account's usage per UTC day: the sums of its ledger rows (every turn once, plus each sandbox's tail).</summary>
public sealed class UsageQueries(UsageLedger ledger)
{
    public async Task<IReadOnlyList<DailyUsage>> DailyAsync(string account, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        IReadOnlyList<UsageEntry> entries = await ledger.ListAsync(account, from, to, cancellationToken).ConfigureAwait(false);
        return entries.GroupBy(e => e.Day).OrderBy(g => g.Key)
            .Select(g => new DailyUsage(g.Key, g.Aggregate(Usage.Zero, (sum, e) => sum.Add(e.Usage)),
                g.Count(e => e.Kind == UsageLedger.TurnKind), g.Select(e => e.RunId).Distinct(StringComparer.Ordinal).Count()))
            .ToList();
    }
}

public sealed record DailyUsage(DateOnly Day, Usage Usage, int Turns, int Runs);
