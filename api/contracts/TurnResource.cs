using CodingAgent.Model;

namespace CodingAgent.Api.Contracts;

public sealed record TurnResource(
    int Number,
    string Status,
    DateTimeOffset AcceptedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    string? AssistantText,
    PatchStats? PatchStats,
    Usage Usage,
    RunError? Error,
    ValidationVerdict? Validation,
    PublishResult? Publish,
    int? FixOf)
{
    public static TurnResource From(TurnRecord turn) => new(
        turn.Turn, turn.Status, turn.AcceptedAt, turn.StartedAt, turn.CompletedAt, turn.AssistantText, turn.PatchStats, turn.Usage, turn.Error,
        turn.Validation, turn.Publish, turn.FixOf);
}
