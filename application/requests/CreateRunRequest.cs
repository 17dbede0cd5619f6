namespace CodingAgent.Application.Requests;

/// <summary>The body of <c>POST /runs</c>. Every member is nullable so validation can name what is missing.</summary>
public sealed record CreateRunRequest
{
    public string? Repository { get; init; }
    public string? Ref { get; init; }
    public string? Prompt { get; init; }
    public string? ModelId { get; init; }
    public string? TaskKind { get; init; }
    public BillingRequest? Billing { get; init; }
    public PublishRequest? Publish { get; init; }
    public string? ValidationMode { get; init; }
    public ValidationRequest? Validation { get; init; }
    public SessionRequest? Session { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public string? ContinueFrom { get; init; }
    public WebhookRequest? Webhook { get; init; }
}

public sealed record BillingRequest(string? Mode, string? OpenRouterApiKey);

public sealed record PublishRequest(string? Mode, string? Branch);

public sealed record ValidationRequest(string? Command, int? MaxFixAttempts, int? TimeoutSeconds);

public sealed record SessionRequest(int? IdleTimeoutSeconds, int? MaxLifetimeSeconds);

/// <param name="Events">Which notifications to receive: <c>turn.completed</c>, <c>run.idle</c>, <c>run.completed</c>, <c>run.failed</c> (default: all).</param>
public sealed record WebhookRequest(string? Url, IReadOnlyList<string>? Events);
