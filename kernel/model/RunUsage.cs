namespace CodingAgent.Model;

/// <summary>
/// A run's usage is the sum of its turns', each counted once (a retried or replayed step finds the turn counted), plus the
/// sandbox's life after the last turn, counted at teardown. Sandbox seconds are whole seconds since the sandbox was made,
/// so the turns' shares and the tail add up to its whole life.
/// </summary>
public static class RunUsage
{
    /// <summary>The sandbox seconds of the turn ending at <paramref name="until"/>: its life so far minus what is counted.</summary>
    public static long SandboxSecondsUntil(RunRecord run, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Math.Max(0, (long)Math.Floor((until - SandboxStart(run)).TotalSeconds) - run.Usage.SandboxSeconds);
    }

    public static RunRecord CountTurn(RunRecord run, int turn, Usage usage)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(usage);
        return run.UsageThroughTurn >= turn ? run : run with
        {
            Usage = run.Usage.Add(usage),
            UsageThroughTurn = turn,
            SandboxStartedAt = SandboxStart(run),
        };
    }

    /// <summary>The sandbox seconds after the last turn, up to the kill; null once the run is final (counted) or when it never had a sandbox.</summary>
    public static long? SandboxTail(RunRecord run, DateTimeOffset killedAt)
    {
        ArgumentNullException.ThrowIfNull(run);
        bool hadSandbox = run.Agent is not null || run.Phases.Any(p => p.Name == Phases.Sandbox);
        return RunStatuses.IsFinal(run.Status) || !hadSandbox ? null : SandboxSecondsUntil(run, killedAt);
    }

    /// <summary>The tail after the last turn, once: a run already final has been counted.</summary>
    public static RunRecord CountSandboxEnd(RunRecord run, DateTimeOffset killedAt)
    {
        ArgumentNullException.ThrowIfNull(run);
        long? tail = SandboxTail(run, killedAt);
        return tail is null ? run : run with
        {
            Usage = run.Usage with { SandboxSeconds = run.Usage.SandboxSeconds + tail.Value },
            SandboxStartedAt = SandboxStart(run),
        };
    }

    // The sandbox phase opens right before the create call; runs stored before this field existed start at creation.
    private static DateTimeOffset SandboxStart(RunRecord run) =>
        run.SandboxStartedAt ?? run.Phases.FirstOrDefault(p => p.Name == Phases.Sandbox)?.StartedAt ?? run.CreatedAt;
}
