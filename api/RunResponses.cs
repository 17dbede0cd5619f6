using CodingAgent.Application.Requests;
using System.Globalization;
using CodingAgent.Api.Contracts;
using CodingAgent.Application;
using CodingAgent.Model;
using Microsoft.AspNetCore.Http;

namespace CodingAgent.Api;

/// <summary>Shared response shapes: 202 + Location + Retry-After for accepted work, 409 session_inactive with a fallback.</summary>
public static class RunResponses
{
    public const int RetryAfterSeconds = 2;

    public static JsonAnswer Accepted<T>(T body, string location) =>
        JsonAnswer.Of(body, StatusCodes.Status202Accepted, location, RetryAfterSeconds.ToString(CultureInfo.InvariantCulture));

    public static string TurnUrl(HttpRequest request, string runId, int turn) =>
        $"{ApiRoutes.BaseUrl(request)}/runs/{runId}/turns/{turn.ToString(CultureInfo.InvariantCulture)}";

    public static IResult SessionInactive(HttpContext context, RunRecord run, string reason, string? prompt)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(run);
        CreateRunRequest fallback = new()
        {
            Repository = run.Repository,
            Ref = run.Ref,
            Prompt = prompt ?? "Continue where the previous run stopped.",
            ModelId = run.ModelId,
            TaskKind = run.TaskKind,
            ValidationMode = run.ValidationMode,
            Tags = run.Tags,
            ContinueFrom = run.RunId,
        };
        return Problems.Create(context, StatusCodes.Status409Conflict, ProblemCodes.SessionInactive, "The run's session is not active.",
            $"The session of run {run.RunId} is {Describe(reason)}; start a continuing run with the 'fallback' body.",
            extensions: new Dictionary<string, object?> { ["reason"] = reason, ["fallback"] = fallback });
    }

    private static string Describe(string reason) => reason switch
    {
        InactiveReasons.Ended => "ended",
        InactiveReasons.Expired => "past its expiry",
        InactiveReasons.Unhealthy => "not answering its health check",
        _ => "not ready yet",
    };
}
