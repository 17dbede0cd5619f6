namespace CodingAgent.Model;

/// <summary>
/// A Logic Apps HTTP Webhook subscription on a run: call <see cref="CallbackUrl"/> back once, when turn
/// <see cref="Turn"/> (or a later one) settles (<see cref="SubscriptionUntil.Idle"/>) or when the run ends
/// (<see cref="SubscriptionUntil.Ended"/>). The callback URL carries the caller's signature: answers never show it.
/// </summary>
public sealed record SubscriptionRecord
{
    public required string RunId { get; init; }

    public required string SubscriptionId { get; init; }

    public required string CallbackUrl { get; init; }

    public required string Until { get; init; }

    public int? Turn { get; init; }

    public string Status { get; init; } = SubscriptionStatuses.Active;

    public DateTimeOffset CreatedAt { get; init; }
}

public static class SubscriptionUntil
{
    public const string Idle = "idle";
    public const string Ended = "ended";
}

public static class SubscriptionStatuses
{
    public const string Active = "active";
    public const string Notified = "notified";
    public const string Cancelled = "cancelled";
}
