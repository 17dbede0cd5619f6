namespace CodingAgent.Agent;

public sealed record AgentTurnRequest(
    string SessionId,
    string MessageId,
    string Text,
    string RepositoryPath,
    int Turn,
    TimeSpan Timeout,
    IReadOnlySet<string> AlreadyLogged);
