using CodingAgent.Model;
using CodingAgent.Storage;

namespace CodingAgent.Application.Idempotency;

/// <summary>
/// Idempotency keys for every front door: the first command with a key runs and, when it succeeds, its answer is kept;
/// the same key with the same fingerprint gets that answer again (also while racing the first); the same key with a
/// different fingerprint is refused. A command that does not succeed frees its key for a retry.
/// </summary>
public sealed class IdempotentCommands(IdempotencyStore store, TimeProvider time)
{
    public const int MaxKeyLength = 255;
    private static readonly TimeSpan WaitForFirst = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FirstPollInterval = TimeSpan.FromMilliseconds(100);

    // A reservation this old belongs to a command that died before answering (handlers finish in well under a minute).
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(2);

    /// <summary>1 to <see cref="MaxKeyLength"/> printable ASCII characters.</summary>
    public static bool IsValidKey(string key) =>
        key is { Length: > 0 and <= MaxKeyLength } && !key.Any(c => c is < ' ' or > '~');

    /// <param name="fingerprint">What the command is (for HTTP: method, path and body); a key is bound to one fingerprint.</param>
    /// <param name="handle">Runs the command; its intent is kept on the key so that a retry finishes the same run or turn.</param>
    /// <param name="answerToKeep">The answer to store for a result that succeeded, or null to free the key.</param>
    public async Task<IdempotentResult<T>> RunAsync<T>(
        string account, string key, string fingerprint, Func<IRequestIntent, Task<T>> handle, Func<T, StoredAnswer?> answerToKeep,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(answerToKeep);
        DateTimeOffset giveUpAt = time.GetUtcNow() + WaitForFirst;
        while (true)
        {
            IdempotencyRecord? existing = await store.GetAsync(account, key, cancellationToken).ConfigureAwait(false);
            DateTimeOffset now = time.GetUtcNow();
            if (existing is null)
            {
                if (await store.TryReserveAsync(account, key, fingerprint, now, cancellationToken).ConfigureAwait(false))
                {
                    return await HandleReservedAsync(account, key, fingerprint, now, null, handle, answerToKeep).ConfigureAwait(false);
                }

                continue;
            }

            if (existing.Fingerprint != fingerprint)
            {
                return new IdempotentResult<T>(IdempotencyVerdict.KeyReused);
            }

            if (existing.Answer is { } answer)
            {
                return new IdempotentResult<T>(IdempotencyVerdict.Replayed, Replay: answer);
            }

            if (now - existing.ReservedAt > AbandonedAfter)
            {
                if (await store.TryTakeOverAsync(account, key, existing, now, cancellationToken).ConfigureAwait(false))
                {
                    // The first attempt died mid-way: this one finishes what it started (the same run or turn).
                    return await HandleReservedAsync(account, key, fingerprint, now, existing.Intent, handle, answerToKeep).ConfigureAwait(false);
                }

                continue;
            }

            if (now >= giveUpAt)
            {
                return new IdempotentResult<T>(IdempotencyVerdict.InProgress);
            }

            await Task.Delay(FirstPollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IdempotentResult<T>> HandleReservedAsync<T>(
        string account, string key, string fingerprint, DateTimeOffset reservedAt, string? recalled,
        Func<IRequestIntent, Task<T>> handle, Func<T, StoredAnswer?> answerToKeep)
    {
        T result;
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
        if (answerToKeep(result) is { } answer)
        {
            await store.CompleteAsync(account, key, fingerprint, reservedAt, answer, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            await store.ReleaseAsync(account, key, CancellationToken.None).ConfigureAwait(false);
        }

        return new IdempotentResult<T>(IdempotencyVerdict.Handled, result);
    }
}
