namespace CodingAgent.Api.Contracts;

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

public sealed record WebhookRequest(string? Url, string? Secret);
