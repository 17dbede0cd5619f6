namespace CodingAgent.Configuration;

/// <summary>
/// The queue front door (docs/queue.md): commands from Azure Storage queue producers, on the product's storage account.
/// The Functions app reads the same name through its trigger (<c>%CodingAgent__Queue__Name%</c>) and the dequeue count from
/// host.json (<c>extensions.queues.maxDequeueCount</c>); keep the two in step.
/// </summary>
public sealed class QueueOptions
{
    public string Name { get; set; } = "coding-agent-commands";

    /// <summary>Where a message goes after <see cref="MaxDequeueCount"/> failed attempts (the Functions convention).</summary>
    public string PoisonName => Name + "-poison";

    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>Accounts a message may name; empty: any well-formed account (the queue is a trusted internal channel).</summary>
    public IList<string> AllowedAccounts { get; set; } = [];

    /// <summary>Self-host: consume the queue at all (the Functions app always does through its trigger).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Self-host: the longest pause between polls of an empty queue (the wait doubles from 50 ms up to this).</summary>
    public int MaxPollingIntervalMilliseconds { get; set; } = 1000;

    /// <summary>Self-host: messages taken per poll and handled at once (the Functions default batch size).</summary>
    public int BatchSize { get; set; } = 16;
}
