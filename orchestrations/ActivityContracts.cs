namespace CodingAgent.Orchestrations;

public sealed record RunRef(string Account, string RunId);

public sealed record TurnInput(string Account, string RunId, int Turn);

/// <param name="SessionAlive">False when the sandbox or OpenCode is gone and the run cannot take more turns.</param>
public sealed record TurnOutcome(int Turn, bool SessionAlive, DateTime ExpiresAtUtc);

/// <param name="LeaveSandboxToJanitor">Close the run without reaching its sandbox (the provider kept failing); the janitor kills it later.</param>
public sealed record TeardownInput(
    string Account, string RunId, string EndReason, string? FailedPhase = null, string? ErrorMessage = null, bool LeaveSandboxToJanitor = false);

/// <summary>Raised by the API for every accepted follow-up; at-least-once, so the orchestration de-duplicates by turn.</summary>
public sealed record MessageSignal(int Turn);

public sealed record EndSessionSignal(string Reason);
