using System.Text.Json;

namespace CodingAgent.Sandboxes.E2B;

/// <summary>The Connect error codes envd answers with (docs/e2b.md §4.2).</summary>
public static class ConnectCodes
{
    public const string Unknown = "unknown";
    public const string NotFound = "not_found";
    public const string DeadlineExceeded = "deadline_exceeded";
    public const string Unavailable = "unavailable";
    public const string Unauthenticated = "unauthenticated";
    public const string InvalidArgument = "invalid_argument";
}

/// <summary>A failed envd RPC: a unary error body, or the error in a stream's end-of-stream frame.</summary>
public sealed class ConnectException : SandboxException
{
    public ConnectException(string code, string message)
        : base($"envd {code}: {message}")
    {
        Code = code;
    }

    public ConnectException()
    {
        Code = ConnectCodes.Unknown;
    }

    public ConnectException(string message)
        : base(message)
    {
        Code = ConnectCodes.Unknown;
    }

    public ConnectException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = ConnectCodes.Unknown;
    }

    public string Code { get; }

    internal static ConnectException From(JsonElement error) => new(
        error.TryGetProperty("code", out JsonElement code) && code.ValueKind == JsonValueKind.String ? code.GetString()! : ConnectCodes.Unknown,
        error.TryGetProperty("message", out JsonElement message) && message.ValueKind == JsonValueKind.String ? message.GetString()! : "(no message)");
}
