using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace CodingAgent.Api;

/// <summary>The query of <c>GET /usage</c>: <c>from</c> and <c>to</c> (UTC days, inclusive; default the last 30 days), at most 366 days.</summary>
public sealed record UsageQuery(DateOnly From, DateOnly To)
{
    public const int MaxDays = 366;
    private const int DefaultDays = 30;

    public static (UsageQuery? Query, Dictionary<string, string[]> Errors) Parse(IQueryCollection query, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(query);
        Dictionary<string, string[]> errors = [];
        DateOnly to = Day(query, "to", errors) ?? today;
        DateOnly from = Day(query, "from", errors) ?? to.AddDays(1 - DefaultDays);
        if (errors.Count == 0 && from > to)
        {
            errors["from"] = ["On or before 'to'."];
        }
        else if (errors.Count == 0 && to.DayNumber - from.DayNumber + 1 > MaxDays)
        {
            errors["to"] = [$"At most {MaxDays} days after 'from'."];
        }

        return errors.Count > 0 ? (null, errors) : (new UsageQuery(from, to), errors);
    }

    private static DateOnly? Day(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (!query.TryGetValue(name, out var text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day))
        {
            return day;
        }

        errors[name] = ["A UTC day, yyyy-MM-dd."];
        return null;
    }
}
