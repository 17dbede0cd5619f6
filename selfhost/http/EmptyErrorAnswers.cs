using CodingAgent.Api;
using Microsoft.AspNetCore.Diagnostics;

namespace CodingAgent.SelfHost.Http;

/// <summary>
/// Error answers that routing produces without a body (no such route, wrong method) become problem documents too, so a
/// client never has to handle an empty error.
/// </summary>
internal static class EmptyErrorAnswers
{
    public static Task WriteAsync(StatusCodeContext status)
    {
        HttpContext context = status.HttpContext;
        IResult problem = context.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => Problems.Create(context, StatusCodes.Status404NotFound, "not_found", "Not found.",
                $"There is no route '{context.Request.Path}'."),
            StatusCodes.Status405MethodNotAllowed => Problems.Create(context, StatusCodes.Status405MethodNotAllowed, "method_not_allowed",
                "The method is not allowed here.", $"'{context.Request.Method}' is not allowed on '{context.Request.Path}'."),
            var other => Problems.Create(context, other, "request_failed", "The request failed.", $"The request failed with status {other}."),
        };
        return problem.ExecuteAsync(context);
    }
}
