namespace CodingAgent.Model;

/// <summary>
/// What became of one queue message (docs/queue.md): accepted (with the run and turn it made), replayed (its idempotency
/// key had been handled), or rejected with the reason — readable in the <c>queuecommands</c> table by account.
/// </summary>
public sealed record QueueCommandRecord
{
    /// <summary>The account the message named, or <see cref="UnknownAccount"/> when it named none that could be read.</summary>
    public required string Account { get; init; }

    public required string MessageId { get; init; }

    public string? Type { get; init; }

    public required string Outcome { get; init; }

    public string? Reason { get; init; }

    public string? RunId { get; init; }

    public int? Turn { get; init; }

    public string? IdempotencyKey { get; init; }

    public long DequeueCount { get; init; }

    public DateTimeOffset At { get; init; }

    public const string UnknownAccount = "-";
}

public static class QueueCommandOutcomes
{
    public const string Accepted = "accepted";
    public const string Replayed = "replayed";
    public const string Rejected = "rejected";
}
