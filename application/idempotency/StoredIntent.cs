using CodingAgent.Storage;


namespace CodingAgent.Application.Idempotency;

/// <summary>The intent of a request kept on its <c>Idempotency-Key</c> reservation.</summary>
internal sealed class StoredIntent(IdempotencyStore store, string account, string key, string? recalled) : IRequestIntent
{
    public string? Recalled { get; private set; } = recalled;

    public async Task RememberAsync(string value, CancellationToken cancellationToken)
    {
        await store.SetIntentAsync(account, key, value, cancellationToken).ConfigureAwait(false);
        Recalled = value;
    }
}
