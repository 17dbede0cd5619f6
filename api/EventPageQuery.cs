using System.Globalization;
using CodingAgent.Application;
using Microsoft.AspNetCore.Http;

namespace CodingAgent.Api;

/// <summary><c>?eventsAfter=&amp;eventsLimit=</c> of <c>GET /runs/{id}?events=1</c>.</summary>
public sealed record EventPageQuery(long After, int Limit)
{
    /// <summary>The page asked for, or null with the offending member in <paramref name="invalidMember"/>.</summary>
    public static EventPageQuery? Parse(IQueryCollection query, out string? invalidMember)
    {
        ArgumentNullException.ThrowIfNull(query);
        invalidMember = null;
        long after = 0;
        int limit = RunQueries.MaxEventPage;
        if (query["eventsAfter"].FirstOrDefault() is { } afterText && !long.TryParse(afterText, NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            invalidMember = "eventsAfter";
            return null;
        }

        if (query["eventsLimit"].FirstOrDefault() is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > RunQueries.MaxEventPage))
        {
            invalidMember = "eventsLimit";
            return null;
        }

        return new EventPageQuery(after, limit);
    }

    public static string Rule(string member) => member == "eventsAfter"
        ? "A sequence number (a whole number ≥ 0)."
        : $"A whole number from 1 to {RunQueries.MaxEventPage}.";
}
