using System.Text.Json.Serialization;

namespace CodingAgent.Api.Contracts;

/// <summary>
/// <c>{"run": Run}</c>, with a page of the run's events and the patch when asked for (<c>?events=1</c>, <c>?patch=1</c>);
/// <c>eventsNextAfter</c> is the <c>eventsAfter</c> of the next page while more events follow.
/// </summary>
public sealed record RunEnvelope(
    RunResource Run,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<EventResource>? Events = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Patch = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? EventsNextAfter = null);

/// <summary><c>{"run": Run, "turn": Turn}</c>: the answer about one turn.</summary>
public sealed record RunTurnEnvelope(RunResource Run, TurnResource Turn);

/// <summary><c>{"runs": [Run], "nextCursor": …}</c>: one page of runs, newest first.</summary>
public sealed record RunListEnvelope(IReadOnlyList<RunResource> Runs, string? NextCursor);

/// <summary>The run's webhook and Logic Apps callback deliveries, oldest first.</summary>
public sealed record DeliveryListEnvelope(IReadOnlyList<DeliveryResource> Deliveries);

public sealed record SubscriptionEnvelope(SubscriptionResource Subscription);
