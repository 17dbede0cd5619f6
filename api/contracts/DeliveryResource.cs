using CodingAgent.Model;

namespace CodingAgent.Api.Contracts;

/// <summary>
/// One delivery of a notification: <c>id</c> is the <c>webhook-id</c> header the receiver saw; <c>target</c> is the URL
/// without its query (a Logic Apps callback URL carries a signature there, which answers never show).
/// </summary>
public sealed record DeliveryResource(
    string Id, string Kind, string Event, int? Turn, string Target, string Status, int Attempts, int? LastStatusCode, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt)
{
    public static DeliveryResource From(DeliveryRecord delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return new(delivery.DeliveryId, delivery.Kind, delivery.Event, delivery.Turn, delivery.Target, delivery.Status, delivery.Attempts,
            delivery.LastStatusCode, delivery.LastError, delivery.CreatedAt, delivery.DeliveredAt);
    }
}
