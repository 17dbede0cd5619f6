namespace CodingAgent.Publishing;

/// <summary>A publish that cannot succeed as asked (push refused, GitHub said no); its message is shown to the user as it is.</summary>
public sealed class PublishException : Exception
{
    public PublishException()
    {
    }

    public PublishException(string message)
        : base(message)
    {
    }

    public PublishException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
