namespace CodingAgent.Agent;

public sealed record AgentTurnRequest(
    string SessionId,
    string MessageId,
    string Text,
    string RepositoryPath,
    int Turn,
    TimeSpan Timeout,
    IReadOnlySet<string> AlreadyLogged)
{
    /// <summary>The message id was fixed by this attempt, so OpenCode cannot have the prompt yet: post without looking first.</summary>
    public bool FirstAttempt { get; init; }

    /// <summary>
    /// Asked once the prompt is posted (beside the turn, not before it): a cancel that came while the prompt was on its
    /// way found nothing to abort, so the turn is aborted now.
    /// </summary>
    public Func<CancellationToken, Task<bool>>? CancelRequested { get; init; }
}
