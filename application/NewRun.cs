namespace CodingAgent.Application;

/// <summary>A validated create request, ready to become a run.</summary>
public sealed record NewRun(
    string Repository,
    string CloneUrl,
    string? Ref,
    string Prompt,
    string ModelId,
    string TaskKind,
    string ValidationMode,
    string BillingMode,
    string PublishMode,
    int IdleTimeoutSeconds,
    int MaxLifetimeSeconds,
    IReadOnlyList<string> Tags);
