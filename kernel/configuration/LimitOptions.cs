namespace CodingAgent.Configuration;

/// <summary>Per-request and per-account limits; beyond them the API answers 413 or 429.</summary>
public sealed class LimitOptions
{
    public int MaxPromptCharacters { get; set; } = 120_000;

    /// <summary>Large enough for a maximal prompt even when every character is JSON-escaped as <c>\uXXXX</c>.</summary>
    public int MaxBodyBytes { get; set; } = 1_048_576;

    public int RunCreationsPerMinute { get; set; } = 30;

    public int ActiveSessionsPerAccount { get; set; } = 10;

    /// <summary>Prompts a run may hold queued behind its running turn; the next answers 429 <c>too_many_queued_turns</c>.</summary>
    public int MaxQueuedTurns { get; set; } = 10;

    /// <summary>The most of a run's cumulative diff that is stored (and served by <c>GET …/patch</c>); beyond it <c>patchTruncated</c> is true.</summary>
    public int MaxPatchBytes { get; set; } = 10 * 1024 * 1024;
}
