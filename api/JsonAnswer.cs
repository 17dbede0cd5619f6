using System.Text;
using System.Text.Json;
using CodingAgent.Json;
using CodingAgent.Model;
using Microsoft.AspNetCore.Http;

namespace CodingAgent.Api;

/// <summary>
/// A JSON answer whose body is serialized up front, so it can be stored under an <c>Idempotency-Key</c> and replayed
/// byte for byte.
/// </summary>
public sealed class JsonAnswer(int status, string body, string? location = null, string? retryAfter = null) : IResult
{
    public const string ReplayedHeader = "Idempotent-Replayed";
    private bool replayed;

    public int Status { get; } = status;

    public bool IsSuccess => Status is >= 200 and < 300;

    public static JsonAnswer Of<T>(T value, int status, string? location = null, string? retryAfter = null) =>
        new(status, JsonSerializer.Serialize(value, JsonDefaults.Options), location, retryAfter);

    public static JsonAnswer Replay(StoredAnswer stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return new JsonAnswer(stored.Status, stored.Body, stored.Location, stored.RetryAfter) { replayed = true };
    }

    public StoredAnswer ToStored() => new(Status, location, retryAfter, body);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        HttpResponse response = httpContext.Response;
        response.StatusCode = Status;
        response.ContentType = "application/json; charset=utf-8";
        if (location is not null)
        {
            response.Headers.Location = location;
        }

        if (retryAfter is not null)
        {
            response.Headers.RetryAfter = retryAfter;
        }

        if (replayed)
        {
            response.Headers[ReplayedHeader] = "true";
        }

        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(body), httpContext.RequestAborted).ConfigureAwait(false);
    }
}
