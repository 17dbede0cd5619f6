namespace CodingAgent.Model;

/// <summary>The stored state of a run. The API reads it; activities write it.</summary>
public sealed record RunRecord
{
    public required string Account { get; init; }
    public required string RunId { get; init; }

    public RunKey Key => new(Account, RunId);
    public required string Status { get; init; }
    public bool SessionActive { get; init; }
    public DateTimeOffset? SessionExpiresAt { get; init; }
    public string? EndReason { get; init; }
    public required string Repository { get; init; }
    public required string CloneUrl { get; init; }
    public string? Ref { get; init; }
    public string? BaseSha { get; init; }
    public required string ModelId { get; init; }
    public required string TaskKind { get; init; }
    public required string ValidationMode { get; init; }
    public required string BillingMode { get; init; }
    public required string PublishMode { get; init; }

    /// <summary>The branch, pushed commit and pull request once the run publishes; set at creation when publishing is on.</summary>
    public PublishState? Publish { get; init; }

    /// <summary>The validation command the caller configured (null: detected in the sandbox).</summary>
    public string? ValidationCommand { get; init; }

    public int ValidationTimeoutSeconds { get; init; }

    public int MaxFixAttempts { get; init; }

    /// <summary>The latest turn's validation verdict.</summary>
    public ValidationVerdict? Validation { get; init; }

    public ValidationBaseline? ValidationBaseline { get; init; }

    /// <summary>The last automatic fix turn handed out (<see cref="FixTurn"/>) and the turn whose failure it fixes, so a retried request gets the same turn.</summary>
    public int? FixSourceTurn { get; init; }

    public int? FixTurn { get; init; }

    /// <summary>Where the API that created the run answers; links to the run (in pull requests) start here.</summary>
    public string? ApiBaseUrl { get; init; }
    public int CurrentTurn { get; init; }
    public int AcceptedTurns { get; init; }
    public int CompletedTurns { get; init; }
    public string? AssistantText { get; init; }
    public PatchStats? PatchStats { get; init; }

    /// <summary>The stored patch is a prefix of the whole diff: it was larger than <c>Limits:MaxPatchBytes</c>.</summary>
    public bool PatchTruncated { get; init; }
    public Usage Usage { get; init; } = Usage.Zero;

    /// <summary>The last turn whose usage <see cref="Usage"/> holds: a retried step never counts a turn twice (<see cref="RunUsage"/>).</summary>
    public int UsageThroughTurn { get; init; }

    /// <summary>When the sandbox was created: sandbox seconds are counted from here (fixed at the first turn's count).</summary>
    public DateTimeOffset? SandboxStartedAt { get; init; }
    public IReadOnlyList<PhaseRecord> Phases { get; init; } = [];
    public RunError? Error { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? ContinuedFrom { get; init; }

    /// <summary>The queue that receives this run's notifications (<c>replyTo</c> of a queue command); null: none.</summary>
    public string? ReplyTo { get; init; }

    /// <summary>Where the run's signed webhook notifications go (the create body's <c>webhook.url</c>); null: none.</summary>
    public string? WebhookUrl { get; init; }

    /// <summary>The notification types the webhook receives.</summary>
    public IReadOnlyList<string> WebhookEvents { get; init; } = [];

    /// <summary>A Logic Apps subscription was made on the run (settling then looks for the ones to call back).</summary>
    public bool HasSubscriptions { get; init; }
    public int IdleTimeoutSeconds { get; init; }
    public int MaxLifetimeSeconds { get; init; }
    public bool EndRequested { get; init; }
    public AgentLocation? Agent { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Optimistic-concurrency tag of the stored row; null for a record not yet stored.</summary>
    public string? ETag { get; init; }

    public DateTimeOffset MaxExpiresAt => CreatedAt.AddSeconds(MaxLifetimeSeconds);

    public int QueuedTurns => Math.Max(0, AcceptedTurns - Math.Max(CompletedTurns, CurrentTurn));
}
