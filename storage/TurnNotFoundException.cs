namespace CodingAgent.Storage;

/// <summary>A turn number the run counts has no stored turn (its accept stopped midway).</summary>
public sealed class TurnNotFoundException : InvalidOperationException
{
    public TurnNotFoundException()
    {
    }

    public TurnNotFoundException(string message)
        : base(message)
    {
    }

    public TurnNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
