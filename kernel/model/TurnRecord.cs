namespace CodingAgent.Model;

public static class TurnStatuses
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static bool IsSettled(string status) => status is Completed or Failed or Cancelled;
}

/// <summary>One prompt and what the agent made of it. The prompt text itself lives in the prompt store.</summary>
public sealed record TurnRecord
{
    public required string RunId { get; init; }
    public required int Turn { get; init; }
    public required string Status { get; init; }
    public required DateTimeOffset AcceptedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public string? UserMessageId { get; init; }
    public string? AssistantText { get; init; }
    public PatchStats? PatchStats { get; init; }
    public Usage Usage { get; init; } = Usage.Zero;
    public RunError? Error { get; init; }

    public ValidationVerdict? Validation { get; init; }

    public PublishResult? Publish { get; init; }

    /// <summary>For an automatic fix turn: the turn whose validation failure it carries.</summary>
    public int? FixOf { get; init; }

    /// <summary>How many automatic fix turns in a row led to this one (0 for a caller's prompt).</summary>
    public int FixAttempt { get; init; }

    /// <summary>Set by a cancel request before it aborts OpenCode, so the turn ends as cancelled rather than failed.</summary>
    public bool CancelRequested { get; init; }

    public string? ETag { get; init; }
}
