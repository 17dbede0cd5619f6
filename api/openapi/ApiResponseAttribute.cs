namespace CodingAgent.Api.OpenApi;

/// <summary>
/// One possible answer of the call, one attribute per status code. Without <see cref="Type"/> the answer has no body.
/// Set <see cref="Problem"/> to the problem <c>code</c> for an error answer: the body is then an
/// <c>application/problem+json</c> document (<c>ProblemDocument</c>, or <see cref="Type"/> if the problem carries more members).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ApiResponseAttribute(int status, Type? type = null) : Attribute
{
    public int Status { get; } = status;

    public Type? Type { get; } = type;

    /// <summary>The stable problem <c>code</c> (see <c>ProblemCodes</c>) of an error answer.</summary>
    public string? Problem { get; init; }

    /// <summary>Defaults to <c>application/json</c>, or <c>application/problem+json</c> for a problem.</summary>
    public string? ContentType { get; init; }

    /// <summary>Defaults to the problem code or the status's reason phrase.</summary>
    public string? Description { get; init; }

    /// <summary>Response headers, comma-separated, e.g. <c>"Location,Retry-After"</c> (described in <c>ResponseHeaders</c>).</summary>
    public string? Headers { get; init; }
}
