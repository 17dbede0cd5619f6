using CodingAgent.Application;
using CodingAgent.Model;

namespace CodingAgent.Api.Contracts;

/// <summary><c>GET /usage</c>: the account's usage per UTC day with usage, and the total of the range.</summary>
public sealed record UsageEnvelope(string Account, string From, string To, IReadOnlyList<UsageDayResource> Days, Usage Total)
{
    public static UsageEnvelope Of(string account, DateOnly from, DateOnly to, IReadOnlyList<DailyUsage> days)
    {
        ArgumentNullException.ThrowIfNull(days);
        return new(account, Text(from), Text(to), days.Select(d => new UsageDayResource(Text(d.Day), d.Usage, d.Turns, d.Runs)).ToList(),
            days.Aggregate(Usage.Zero, (sum, d) => sum.Add(d.Usage)));
    }

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed record UsageDayResource(string Day, Usage Usage, int Turns, int Runs);
