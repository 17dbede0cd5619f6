namespace CodingAgent.Application.Notifications;

/// <summary>
/// What a run's <c>replyTo</c> queue and its webhook receive (docs/queue.md, docs/webhooks.md). <see cref="Id"/> is the same for a repeated delivery of one
/// notification, so a consumer can drop a duplicate.
/// </summary>
public sealed record RunNotification(
    string Id, string Type, string Account, string RunId, int? Turn, string Status, bool SessionActive, string? TurnStatus, string? ErrorCode, DateTimeOffset At,
    RunNotificationLinks? Links);

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
