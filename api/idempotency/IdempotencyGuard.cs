using System.Security.Cryptography;
using System.Text;
using CodingAgent.Application;
using CodingAgent.Storage;
using Microsoft.AspNetCore.Http;

namespace CodingAgent.Api.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on every POST (SPEC §3): the first request with a key is handled and, when it succeeds, its
/// answer is stored; the same key with the same route and body gets that answer again (also while racing the first);
/// the same key with anything else answers 422. A request that does not succeed frees its key for a retry.
/// </summary>
public sealed class IdempotencyGuard(IdempotencyStore store, TimeProvider time)
{
    public const string HeaderName = "Idempotency-Key";
    private const int MaxKeyLength = 255;
    private static readonly TimeSpan WaitForFirst = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FirstPollInterval = TimeSpan.FromMilliseconds(100);

    // A reservation this old belongs to a request that died before answering (handlers finish in well under a minute).
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(2);

    public async Task<IResult> RunAsync(HttpContext context, string account, byte[] body, Func<IRequestIntent, Task<IResult>> handle)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(handle);
        if (!context.Request.Headers.TryGetValue(HeaderName, out Microsoft.Extensions.Primitives.StringValues values))
        {
            return await handle(NoRequestIntent.Instance).ConfigureAwait(false);
        }

        string key = values.ToString();
        if (values.Count != 1 || key.Length is 0 or > MaxKeyLength || key.Any(c => c is < ' ' or > '~'))
        {
            return Problems.InvalidRequest(context, new Dictionary<string, string[]>
            {
                [HeaderName] = [$"One value of 1 to {MaxKeyLength} printable ASCII characters."],
            });
        }

        string fingerprint = Fingerprint(context.Request, body);
        CancellationToken cancellationToken = context.RequestAborted;
        DateTimeOffset giveUpAt = time.GetUtcNow() + WaitForFirst;
        while (true)
        {
            IdempotencyRecord? existing = await store.GetAsync(account, key, cancellationToken).ConfigureAwait(false);
            DateTimeOffset now = time.GetUtcNow();
            if (existing is null)
            {
                if (await store.TryReserveAsync(account, key, fingerprint, now, cancellationToken).ConfigureAwait(false))
                {
                    return await HandleReservedAsync(account, key, fingerprint, now, null, handle).ConfigureAwait(false);
                }

                continue;
            }

            if (existing.Fingerprint != fingerprint)
            {
                return Problems.IdempotencyKeyReused(context);
            }

            if (existing.Answer is { } answer)
            {
                return JsonAnswer.Replay(answer);
            }

            if (now - existing.ReservedAt > AbandonedAfter)
            {
                if (await store.TryTakeOverAsync(account, key, existing, now, cancellationToken).ConfigureAwait(false))
                {
                    // The first attempt died mid-way: this one finishes what it started (the same run or turn).
                    return await HandleReservedAsync(account, key, fingerprint, now, existing.Intent, handle).ConfigureAwait(false);
                }

                continue;
            }

            if (now >= giveUpAt)
            {
                return Problems.IdempotencyInProgress(context);
            }

            await Task.Delay(FirstPollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IResult> HandleReservedAsync(
        string account, string key, string fingerprint, DateTimeOffset reservedAt, string? recalled, Func<IRequestIntent, Task<IResult>> handle)
    {
        IResult result;
        try
        {
            result = await handle(new StoredIntent(store, account, key, recalled)).ConfigureAwait(false);
        }
        catch
        {
            await store.ReleaseAsync(account, key, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        // Stored with no cancellation: the work is done, and the answer must be kept even if the caller went away.
        if (result is JsonAnswer { IsSuccess: true } success)
        {
            await store.CompleteAsync(account, key, fingerprint, reservedAt, success.ToStored(), CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            await store.ReleaseAsync(account, key, CancellationToken.None).ConfigureAwait(false);
        }

        return result;
    }

    private static string Fingerprint(HttpRequest request, byte[] body)
    {
        using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
