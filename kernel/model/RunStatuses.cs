namespace CodingAgent.Model;

/// <summary>Run statuses: queued → provisioning → running → idle ⇄ running … → completed | failed | cancelled.</summary>
public static class RunStatuses
{
    public const string Queued = "queued";
    public const string Provisioning = "provisioning";
    public const string Running = "running";
    public const string Idle = "idle";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static bool IsFinal(string status) => status is Completed or Failed or Cancelled;

    /// <summary>A run whose turn <paramref name="turn"/> just settled: running when later turns are already accepted, else idle.</summary>
    public static string AfterTurn(RunRecord run, int turn)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.AcceptedTurns > turn ? Running : Idle;
    }
}
