namespace CodingAgent.Agent;

/// <summary>OpenCode sent something the control plane will not take (e.g. an event frame beyond the size limit); the turn fails.</summary>
public sealed class AgentProtocolException : Exception
{
    public AgentProtocolException()
    {
    }

    public AgentProtocolException(string message)
        : base(message)
    {
    }

    public AgentProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
