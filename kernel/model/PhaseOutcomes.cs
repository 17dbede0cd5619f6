namespace CodingAgent.Model;

/// <summary>The status of one phase of a run (<c>phases[].status</c>).</summary>
public static class PhaseOutcomes
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}
