namespace CodingAgent.Configuration;

/// <summary>The SSE stream's rhythm.</summary>
public sealed class StreamOptions
{
    public int HeartbeatSeconds { get; set; } = 15;

    /// <summary>How often a stream re-reads storage for events written by another process; appends in this process wake it at once.</summary>
    public int PollIntervalMilliseconds { get; set; } = 1000;

    /// <summary>Streams one API key may hold open at once (per instance); the next answers 429 <c>too_many_streams</c>.</summary>
    public int MaxStreamsPerKey { get; set; } = 10;

    /// <summary>How long one stream stays open; it then ends with a comment and the client resumes with <c>Last-Event-ID</c>.</summary>
    public int MaxDurationSeconds { get; set; } = 3600;
}
