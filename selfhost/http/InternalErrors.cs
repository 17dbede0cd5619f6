using CodingAgent.Api;

namespace CodingAgent.SelfHost.Http;

/// <summary>An unexpected failure answers a problem document with the correlation id to quote; the details stay in the log.</summary>
internal static class InternalErrors
{
    public static Task WriteAsync(HttpContext context) =>
        Problems.Create(context, StatusCodes.Status500InternalServerError, ProblemCodes.InternalError, "Something went wrong on our side.",
            $"Quote correlation id {context.TraceIdentifier} when you report this.").ExecuteAsync(context);
}
