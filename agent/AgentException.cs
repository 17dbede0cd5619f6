namespace CodingAgent.Agent;

/// <summary>OpenCode did not do what the control plane asked; the message is fit for a run's error.</summary>
public sealed class AgentException : Exception
{
    public AgentException()
    {
    }

    public AgentException(string message)
        : base(message)
    {
    }

    public AgentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AgentException(string message, bool notFound)
        : base(message)
    {
        NotFound = notFound;
    }

    public bool NotFound { get; }
}
