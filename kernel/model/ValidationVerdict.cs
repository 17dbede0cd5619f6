namespace CodingAgent.Model;

public static class ValidationModes
{
    public const string Minimal = "minimal";
    public const string Basic = "basic";
    public const string Tests = "tests";
}

public static class ValidationStatuses
{
    public const string Passed = "passed";
    public const string Failed = "failed";

    /// <summary>No verdict could be reached: the command timed out, was not found, or the sandbox could not run it.</summary>
    public const string Error = "error";

    /// <summary>Nothing to run: no command was detected or configured.</summary>
    public const string Skipped = "skipped";
}

/// <summary>The validation of one turn: what ran, how it ended, and whether a failure was already on the base commit.</summary>
/// <param name="PreExisting">A failure the base commit already had (its baseline failed too), so not the agent's.</param>
/// <param name="Reason">Why the status is what it is, in words (a timeout, nothing detected, which step failed).</param>
public sealed record ValidationVerdict(
    int Turn,
    string Mode,
    string Status,
    string? Command,
    int? ExitCode,
    long DurationMs,
    string? OutputTail,
    bool TimedOut = false,
    bool PreExisting = false,
    ValidationBaseline? Baseline = null,
    string? Reason = null);

/// <summary>The validation command's result on the base commit, measured once per run, the first time a turn fails.</summary>
public sealed record ValidationBaseline(string Sha, string Command, string Status, int? ExitCode, long DurationMs);
