using CodingAgent.Application.Keys;
namespace CodingAgent.Api.OpenApi;

/// <summary>
/// Documents an HTTP function in the OpenAPI document. Every HTTP function needs one, plus at least one
/// <see cref="ApiResponseAttribute"/>; the document builder refuses to build otherwise.
/// </summary>
/// <param name="summary">One line: what the call does.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ApiOperationAttribute(string summary) : Attribute
{
    public string Summary { get; } = summary;

    /// <summary>Longer explanation (Markdown), if the summary is not enough.</summary>
    public string? Description { get; init; }

    /// <summary>The API key scope the call needs (<c>Scopes.Read</c> or <c>Scopes.Write</c>); <c>null</c> for an anonymous call.</summary>
    public string? Scope { get; init; }
}
