namespace CodingAgent.Sandboxes;

public class SandboxException : Exception
{
    public SandboxException()
    {
    }

    public SandboxException(string message)
        : base(message)
    {
    }

    public SandboxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
