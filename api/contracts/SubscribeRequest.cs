namespace CodingAgent.Api.Contracts;

/// <summary>
/// The body of <c>POST /runs/{id}/subscriptions</c>, as a Logic Apps HTTP Webhook action sends it
/// (<c>{"callbackUrl": "@{listCallbackUrl()}"}</c>).
/// </summary>
/// <param name="Until"><c>idle</c> (default): call back when the run's latest accepted turn settles; <c>ended</c>: when the run ends.</param>
public sealed record SubscribeRequest(string? CallbackUrl, string? Until);
