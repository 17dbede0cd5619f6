namespace CodingAgent.Application;

/// <summary>
/// A validated create request, ready to become a run. <see cref="Repository"/> and <see cref="CloneUrl"/> are null only
/// for a continuing run that takes them from the run it continues.
/// </summary>
public sealed record NewRun(
    string? Repository,
    string? CloneUrl,
    string? Ref,
    string Prompt,
    string ModelId,
    string TaskKind,
    string ValidationMode,
    string BillingMode,
    string PublishMode,
    int IdleTimeoutSeconds,
    int MaxLifetimeSeconds,
    IReadOnlyList<string> Tags,
    string? ContinueFrom = null)
{
    /// <summary>null: detected in the sandbox.</summary>
    public string? ValidationCommand { get; init; }

    public int ValidationTimeoutSeconds { get; init; }

    public int MaxFixAttempts { get; init; }

    /// <summary>The branch to publish to; null: the configured prefix + the run id.</summary>
    public string? PublishBranch { get; init; }

    /// <summary>Where the API that takes this request answers (links to the run start here).</summary>
    public string? ApiBaseUrl { get; init; }

    /// <summary>The queue that receives the run's notifications (a queue command's <c>replyTo</c>).</summary>
    public string? ReplyTo { get; init; }

    /// <summary>The run's signed webhook: its URL (checked against private addresses when the run is created) and events.</summary>
    public string? WebhookUrl { get; init; }

    public IReadOnlyList<string> WebhookEvents { get; init; } = [];
}
