using System.Text;
using CodingAgent.Application;
using CodingAgent.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace CodingAgent.Api;

/// <summary>The query of <c>GET /runs</c>: <c>limit</c> (1–100, default 20), an opaque <c>cursor</c>, <c>status</c>, <c>tag</c>.</summary>
public sealed record RunListQuery(int Limit, string? AfterRunId, string? Status, string? Tag)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    private static readonly string[] Statuses =
        [RunStatuses.Queued, RunStatuses.Provisioning, RunStatuses.Running, RunStatuses.Idle, RunStatuses.Completed, RunStatuses.Failed, RunStatuses.Cancelled];

    public static (RunListQuery? Query, Dictionary<string, string[]> Errors) Parse(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        Dictionary<string, string[]> errors = [];
        int limit = DefaultLimit;
        if (query.TryGetValue("limit", out var limitText) && (!int.TryParse(limitText, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"A whole number from 1 to {MaxLimit}."];
        }

        string? after = null;
        if (query.TryGetValue("cursor", out var cursor) && (after = Decode(cursor.ToString())) is null)
        {
            errors["cursor"] = ["Not a cursor this API handed out; use 'nextCursor' from a previous page."];
        }

        string? status = query.TryGetValue("status", out var statusText) ? statusText.ToString() : null;
        if (status is not null && !Statuses.Contains(status))
        {
            errors["status"] = [$"One of: {string.Join(", ", Statuses)}."];
        }

        string? tag = query.TryGetValue("tag", out var tagText) ? tagText.ToString() : null;
        if (tag is not null && (tag.Length is 0 or > 64))
        {
            errors["tag"] = ["1 to 64 characters."];
        }

        return errors.Count > 0 ? (null, errors) : (new RunListQuery(limit, after, status, tag), errors);
    }

    public static string Encode(string lastRunId) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(lastRunId));

    private static string? Decode(string cursor)
    {
        try
        {
            string id = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(cursor));
            return RunIds.IsWellFormed(id) ? id : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
