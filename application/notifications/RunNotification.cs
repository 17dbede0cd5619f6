using System.Globalization;
using CodingAgent.Model;

namespace CodingAgent.Application.Notifications;

/// <summary>
/// What a run's <c>replyTo</c> queue and its webhook receive (docs/queue.md, docs/webhooks.md). <see cref="Id"/> is the same for a repeated delivery of one
/// notification, so a consumer can drop a duplicate.
/// </summary>
public sealed record RunNotification(
    string Id, string Type, string Account, string RunId, int? Turn, string Status, bool SessionActive, string? TurnStatus, string? ErrorCode, DateTimeOffset At,
    RunNotificationLinks? Links)
{
    /// <summary>The notification of <paramref name="type"/> (for <paramref name="turn"/>) as the run stands now.</summary>
    public static RunNotification For(RunRecord run, string type, int? turn, string? turnStatus, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new($"{run.RunId}:{IdOf(type, turn)}", type, run.Account, run.RunId, turn, run.Status, run.SessionActive, turnStatus, run.Error?.Code, at,
            run.ApiBaseUrl is { Length: > 0 } baseUrl
                ? new RunNotificationLinks($"{baseUrl}/runs/{run.RunId}", turn is { } n ? $"{baseUrl}/runs/{run.RunId}/turns/{n.ToString(CultureInfo.InvariantCulture)}" : null)
                : null);
    }

    /// <summary><c>{type}-{turn}</c>, or the type alone for a notification about the whole run.</summary>
    public static string IdOf(string type, int? turn) => turn is { } number ? $"{type}-{number.ToString(CultureInfo.InvariantCulture)}" : type;
}

/// <summary>Where the run and the turn are read (absent when the run was created where no API address was known, e.g. from the queue).</summary>
public sealed record RunNotificationLinks(string Run, string? Turn);

public static class RunNotificationTypes
{
    /// <summary>A turn settled (completed, failed or cancelled: see <c>turnStatus</c>).</summary>
    public const string TurnCompleted = "turn.completed";

    /// <summary>The run waits for the next prompt.</summary>
    public const string RunIdle = "run.idle";

    public const string RunCompleted = "run.completed";

    public const string RunFailed = "run.failed";

    public static readonly IReadOnlyList<string> All = [TurnCompleted, RunIdle, RunCompleted, RunFailed];
}
