using CodingAgent.Model;

namespace CodingAgent.Storage;

/// <summary>
/// What an <c>Idempotency-Key</c> stands for: the fingerprint of the first request that used it and, once that request
/// succeeded, its answer. <see cref="Answer"/> is null while the first request is still being handled.
/// </summary>
/// <param name="Intent">What the first attempt chose before writing (a run id, a turn number), for a retry to finish the same.</param>
public sealed record IdempotencyRecord(string Fingerprint, DateTimeOffset ReservedAt, StoredAnswer? Answer, string ETag, string? Intent = null);
