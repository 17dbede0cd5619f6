namespace CodingAgent.Hosting.Options;

/// <summary>The SSE stream's rhythm.</summary>
public sealed class StreamOptions
{
    public int HeartbeatSeconds { get; set; } = 15;

    /// <summary>How often a stream re-reads storage for events written by another process; appends in this process wake it at once.</summary>
    public int PollIntervalMilliseconds { get; set; } = 1000;
}
