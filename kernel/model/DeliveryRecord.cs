namespace CodingAgent.Model;

/// <summary>
/// One notification POSTed to a caller's URL (a run's signed webhook, or a Logic Apps callback) and what became of it.
/// <see cref="Url"/> may carry a caller's signature (Logic Apps callback URLs do): answers show only <see cref="Target"/>.
/// </summary>
public sealed record DeliveryRecord
{
    public required string RunId { get; init; }

    /// <summary>Also the <c>webhook-id</c> header: the same on every attempt, so a receiver can drop a repeat.</summary>
    public required string DeliveryId { get; init; }

    public required string Kind { get; init; }

    public required string Event { get; init; }

    public int? Turn { get; init; }

    public required string Url { get; init; }

    public required string Body { get; init; }

    public string Status { get; init; } = DeliveryStatuses.Pending;

    public int Attempts { get; init; }

    public int? LastStatusCode { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }

    public string? ETag { get; init; }

    /// <summary>Scheme, host and path of <see cref="Url"/>: what may be shown.</summary>
    public string Target => CallerUrls.WithoutQuery(Url);
}

public static class DeliveryKinds
{
    public const string Webhook = "webhook";
    public const string Subscription = "subscription";
}

public static class DeliveryStatuses
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}
