using CodingAgent.Model;

namespace CodingAgent.Api.Contracts;

/// <summary>A run as the API shows it. Never carries keys, passwords or sandbox internals.</summary>
public sealed record RunResource(
    string Id,
    string Status,
    bool SessionActive,
    DateTimeOffset? SessionExpiresAt,
    string? EndReason,
    string Repository,
    string? Ref,
    string? BaseSha,
    string ModelId,
    string TaskKind,
    string ValidationMode,
    BillingResource Billing,
    PublishResource Publish,
    int CurrentTurn,
    int QueuedTurns,
    string? AssistantText,
    PatchStats? PatchStats,
    bool PatchTruncated,
    Usage Usage,
    ValidationVerdict? Validation,
    IReadOnlyList<PhaseResource> Phases,
    RunError? Error,
    IReadOnlyList<string> Tags,
    string? ContinuedFrom,
    WebhookResource? Webhook,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    RunLinks Links)
{
    public static RunResource From(RunRecord run, string baseUrl) => new(
        run.RunId,
        run.Status,
        run.SessionActive,
        run.SessionExpiresAt,
        run.EndReason,
        run.Repository,
        run.Ref,
        run.BaseSha,
        run.ModelId,
        run.TaskKind,
        run.ValidationMode,
        new BillingResource(run.BillingMode),
        new PublishResource(run.PublishMode, run.Publish?.Branch, run.Publish?.PullRequestUrl, run.Publish?.HeadSha),
        run.CurrentTurn,
        run.QueuedTurns,
        run.AssistantText,
        run.PatchStats,
        run.PatchTruncated,
        run.Usage,
        run.Validation,
        run.Phases.Select(p => new PhaseResource(p.Name, p.Status, p.StartedAt, p.DurationMs, p.Turn)).ToList(),
        run.Error,
        run.Tags,
        run.ContinuedFrom,
        run.WebhookUrl is { } url ? new WebhookResource(CallerUrls.WithoutQuery(url), run.WebhookEvents) : null,
        run.CreatedAt,
        run.UpdatedAt,
        RunLinks.For(baseUrl, run.RunId));
}

public sealed record BillingResource(string Mode);

/// <summary>The run's webhook: where it goes (without the URL's query) and which notifications it gets.</summary>
public sealed record WebhookResource(string Target, IReadOnlyList<string> Events);

public sealed record PublishResource(string Mode, string? Branch, string? PullRequestUrl, string? HeadSha);

public sealed record PhaseResource(string Name, string Status, DateTimeOffset StartedAt, long? DurationMs, int? Turn);

public sealed record RunLinks(string Self, string Messages, string Stream, string Patch)
{
    public static RunLinks For(string baseUrl, string runId)
    {
        string self = $"{baseUrl}/runs/{runId}";
        return new RunLinks(self, self + "/messages", self + "/stream", self + "/patch");
    }
}
