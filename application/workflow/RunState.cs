namespace CodingAgent.Application.Workflow;

/// <summary>
/// The orchestration's whole input and carried state: ids and counters only. Prompts, transcripts and secrets
/// live in storage and are read by the activities.
/// </summary>
/// <param name="HighestAcceptedTurn">Turn numbers are handed out by the API at acceptance; turns up to this one exist.</param>
/// <param name="LastTurn">The last turn the orchestration ran.</param>
/// <param name="ExpiresAtUtc">Absolute session expiry; the idle timer fires at exactly this time.</param>
/// <param name="TurnsThisGeneration">Turns since the last ContinueAsNew, which keeps the history short.</param>
public sealed record RunState(
    string Account,
    string RunId,
    bool Provisioned = false,
    int HighestAcceptedTurn = 1,
    int LastTurn = 0,
    DateTime? ExpiresAtUtc = null,
    int TurnsThisGeneration = 0);
