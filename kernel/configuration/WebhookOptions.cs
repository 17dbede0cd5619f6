namespace CodingAgent.Configuration;

/// <summary>Outbound calls to callers' URLs: signed run webhooks and Logic Apps callbacks (docs/webhooks.md).</summary>
public sealed class WebhookOptions
{
    /// <summary>Let URLs on loopback through (plain http included): for tests and one-machine setups, never a shared host.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Attempts per delivery, the first included; the waits between them double from <see cref="FirstRetrySeconds"/>.</summary>
    public int MaxAttempts { get; set; } = 8;

    public int FirstRetrySeconds { get; set; } = 5;

    public int MaxRetrySeconds { get; set; } = 600;

    /// <summary>How long one attempt may take (connect, send, answer).</summary>
    public int TimeoutSeconds { get; set; } = 10;
}
