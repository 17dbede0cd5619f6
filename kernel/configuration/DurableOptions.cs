namespace CodingAgent.Configuration;

public sealed class DurableOptions
{
    public const string AzureStorageBackend = "azurestorage";
    public const string MemoryBackend = "memory";

    public string Backend { get; set; } = AzureStorageBackend;

    public string TaskHub { get; set; } = "codingagent";

    /// <summary>Longest idle back-off of the Azure Storage provider's queue polling (its default of 30 s makes every step sluggish).</summary>
    public int MaxQueuePollingIntervalMilliseconds { get; set; } = 500;

    /// <summary>
    /// How long a dequeued work item stays invisible (Azure Storage backend). The engine renews it while the work runs, so
    /// this is only how long a crashed instance's in-flight turn waits before another instance picks it up (default 5 min).
    /// </summary>
    public int WorkItemVisibilityTimeoutSeconds { get; set; } = 45;

    /// <summary>
    /// Azure Storage backend: how long an orchestration stays loaded after its last event, so the next event (an activity's
    /// result, a follow-up) continues it in memory instead of reading its whole history back from the table (0: never).
    /// </summary>
    public int ExtendedSessionIdleTimeoutSeconds { get; set; } = 10;
}
