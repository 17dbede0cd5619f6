using System.Text.Json.Serialization;
using CodingAgent.Application.Requests;

namespace CodingAgent.Api.Contracts;

/// <summary>
/// The shape of every error answer (RFC 9457, <c>application/problem+json</c>) as <c>Problems.Create</c> writes it.
/// Used to document the API; a test checks the two agree.
/// </summary>
public record ProblemDocument
{
    public required string Type { get; init; }

    public required string Title { get; init; }

    public required int Status { get; init; }

    public required string Detail { get; init; }

    public required string Instance { get; init; }

    /// <summary>Stable, machine-readable (see <c>ProblemCodes</c>).</summary>
    public required string Code { get; init; }

    public required string CorrelationId { get; init; }

    /// <summary>Member path → messages; only with <c>invalid_request</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }
}

/// <summary><c>409 session_inactive</c>: why the session is gone, and the <c>POST /runs</c> body that continues the run.</summary>
public sealed record SessionInactiveProblem : ProblemDocument
{
    /// <summary><c>ended</c> | <c>expired</c> | <c>unhealthy</c> | <c>not_ready</c>.</summary>
    public required string Reason { get; init; }

    public required CreateRunRequest Fallback { get; init; }
}
