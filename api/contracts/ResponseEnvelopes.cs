using System.Text.Json.Serialization;
using CodingAgent.Application.Model;

namespace CodingAgent.Api.Contracts;

/// <summary><c>{"run": Run}</c>: the answer of <c>POST /runs</c>.</summary>
public sealed record RunEnvelope(RunResource Run);

/// <summary><c>{"run": Run, "turn"?: Turn}</c>: the answer of <c>POST /runs/{id}/messages</c>; no <c>turn</c> when the session is being ended.</summary>
public sealed record RunWithTurnEnvelope(
    RunResource Run,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TurnResource? Turn);

/// <summary><c>{"run": Run, "events"?: [Event]}</c>: the answer of <c>GET /runs/{id}</c>; <c>events</c> only with <c>?events=1</c>.</summary>
public sealed record RunDetailsEnvelope(
    RunResource Run,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RunEvent>? Events);
