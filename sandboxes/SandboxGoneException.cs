namespace CodingAgent.Sandboxes;

/// <summary>The sandbox no longer exists (killed, expired, or never there): nothing in it can be reached again.</summary>
public sealed class SandboxGoneException : SandboxException
{
    public SandboxGoneException()
    {
    }

    public SandboxGoneException(string message)
        : base(message)
    {
    }

    public SandboxGoneException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
