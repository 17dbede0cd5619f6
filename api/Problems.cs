using Microsoft.AspNetCore.Http;

namespace CodingAgent.Api;

/// <summary>RFC 9457 problem documents with a stable <c>code</c> and the request's correlation id; never a stack trace.</summary>
public static class Problems
{
    public static IResult Create(
        HttpContext context, int status, string code, string title, string detail,
        IReadOnlyDictionary<string, string[]>? errors = null, IDictionary<string, object?>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        Dictionary<string, object?> members = new(extensions ?? new Dictionary<string, object?>())
        {
            ["code"] = code,
            ["correlationId"] = context.TraceIdentifier,
        };
        if (errors is not null)
        {
            members["errors"] = errors;
        }

        return Results.Problem(detail, context.Request.Path, status, title, $"https://coding-agent.dev/problems/{code}", members);
    }

    public static IResult InvalidRequest(HttpContext context, IReadOnlyDictionary<string, string[]> errors) =>
        Create(context, StatusCodes.Status400BadRequest, ProblemCodes.InvalidRequest, "The request is not valid.",
            "See 'errors' for each member that is wrong.", errors);

    public static IResult NotFound(HttpContext context, string what) =>
        Create(context, StatusCodes.Status404NotFound, ProblemCodes.NotFound, "Not found.", $"{what} does not exist.");

    public static IResult Unauthorized(HttpContext context, string detail) =>
        Create(context, StatusCodes.Status401Unauthorized, ProblemCodes.Unauthorized, "Authentication is required.", detail);

    public static IResult Forbidden(HttpContext context, string scope) =>
        Create(context, StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "The API key lacks a scope.", $"This call needs the scope '{scope}'.");

    public static IResult UnsupportedMediaType(HttpContext context) =>
        Create(context, StatusCodes.Status415UnsupportedMediaType, ProblemCodes.UnsupportedMediaType, "The body must be JSON.",
            "Send 'Content-Type: application/json'.");

    public static IResult TooLarge(HttpContext context, int maxBytes) =>
        Create(context, StatusCodes.Status413PayloadTooLarge, ProblemCodes.PayloadTooLarge, "The body is too large.",
            $"Bodies may hold at most {maxBytes} bytes.");

    public static IResult TooManyRequests(HttpContext context, string code, string detail, int retryAfterSeconds)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.RetryAfter = Math.Max(1, retryAfterSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Create(context, StatusCodes.Status429TooManyRequests, code, "Too many requests.", detail,
            extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = Math.Max(1, retryAfterSeconds) });
    }

    public static IResult IdempotencyKeyReused(HttpContext context) =>
        Create(context, StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused", "The Idempotency-Key was used for another request.",
            "This key already stands for a request with a different body or route; use a new key for a new request.");

    public static IResult IdempotencyInProgress(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.RetryAfter = "1";
        return Create(context, StatusCodes.Status409Conflict, ProblemCodes.IdempotencyInProgress, "The first request with this Idempotency-Key is still being handled.",
            "Retry shortly with the same key and body to receive its answer.");
    }
}
