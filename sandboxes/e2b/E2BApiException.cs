using System.Net;

namespace CodingAgent.Sandboxes.E2B;

/// <summary>A refused control-plane call, with E2B's own message and machine code (docs/e2b.md §4.1).</summary>
public sealed class E2BApiException : SandboxException
{
    public E2BApiException(HttpStatusCode status, string message, string? errorCode = null)
        : base(message)
    {
        Status = status;
        ErrorCode = errorCode;
    }

    public E2BApiException()
    {
    }

    public E2BApiException(string message)
        : base(message)
    {
    }

    public E2BApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HttpStatusCode Status { get; }

    public string? ErrorCode { get; }
}
