using CodingAgent.Model;

namespace CodingAgent.Api.Contracts;

/// <summary>A subscription as the API shows it: never its callback URL, which carries the caller's signature.</summary>
public sealed record SubscriptionResource(string Id, string RunId, string Until, int? Turn, string Status, DateTimeOffset CreatedAt)
{
    public static SubscriptionResource From(SubscriptionRecord subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return new(subscription.SubscriptionId, subscription.RunId, subscription.Until, subscription.Turn, subscription.Status, subscription.CreatedAt);
    }
}
