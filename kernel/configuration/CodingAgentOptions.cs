namespace CodingAgent.Configuration;

/// <summary>Every setting of the product, bound from the <c>CodingAgent</c> configuration section.</summary>
public sealed class CodingAgentOptions
{
    public const string SectionName = "CodingAgent";

    public StorageOptions Storage { get; set; } = new();

    public DurableOptions Durable { get; set; } = new();

    public SandboxOptions Sandbox { get; set; } = new();

    public AgentOptions Agent { get; set; } = new();

    public ModelOptions Model { get; set; } = new();

    public RepositoryOptions Repositories { get; set; } = new();

    public SessionOptions Session { get; set; } = new();

    public SecretOptions Secrets { get; set; } = new();

    public LimitOptions Limits { get; set; } = new();

    public StreamOptions Stream { get; set; } = new();

    public ValidationOptions Validation { get; set; } = new();

    public PublishingOptions Publishing { get; set; } = new();

    public GitHubOptions GitHub { get; set; } = new();

    public QueueOptions Queue { get; set; } = new();

    public WebhookOptions Webhooks { get; set; } = new();

    public TelemetryOptions Telemetry { get; set; } = new();
}
