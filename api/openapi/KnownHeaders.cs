namespace CodingAgent.Api.OpenApi;

/// <summary>Headers used by many calls, described once for the OpenAPI document.</summary>
public static class KnownHeaders
{
    public const string IdempotencyKey = "Idempotency-Key";
    public const string Location = "Location";
    public const string RetryAfter = "Retry-After";
    public const string LastEventId = "Last-Event-ID";

    /// <summary>Header name → (description, JSON schema type).</summary>
    public static readonly IReadOnlyDictionary<string, (string Description, string SchemaType)> Descriptions =
        new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase)
        {
            [IdempotencyKey] = ("Any unique string. Repeating the key with the same body returns the stored first answer; "
                + "with another body the answer is 422 idempotency_key_reused.", "string"),
            [Location] = ("Absolute URL of the resource to poll for the outcome.", "string"),
            [RetryAfter] = ("Seconds to wait before the next request (or poll of the Location).", "integer"),
            [LastEventId] = ("Resume after the event with this sequence number.", "string"),
        };
}
