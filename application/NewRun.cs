namespace CodingAgent.Application;

/// <summary>
/// A validated create request, ready to become a run. <see cref="Repository"/> and <see cref="CloneUrl"/> are null only
/// for a continuing run that takes them from the run it continues.
/// </summary>
public sealed record NewRun(
    string? Repository,
    string? CloneUrl,
    string? Ref,
    string Prompt,
    string ModelId,
    string TaskKind,
    string ValidationMode,
    string BillingMode,
    string PublishMode,
    int IdleTimeoutSeconds,
    int MaxLifetimeSeconds,
    IReadOnlyList<string> Tags,
    string? ContinueFrom = null);
