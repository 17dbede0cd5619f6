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
}
