namespace CodingAgent.Application;

/// <summary>
/// What a retried request must do the same way as its first attempt: the id (a run id, a turn number) that attempt chose
/// before it wrote anything. A front door with idempotency keys keeps it with the key; so a retry after a crash between
/// writes finishes the same run or turn instead of starting a second one.
/// </summary>
public interface IRequestIntent
{
    /// <summary>What an earlier attempt of this request remembered; null on a first attempt.</summary>
    string? Recalled { get; }

    /// <summary>Keeps <paramref name="value"/> for a retry; done before the first write it stands for.</summary>
    Task RememberAsync(string value, CancellationToken cancellationToken);
}

/// <summary>A request without an idempotency key: nothing to recall, nothing kept.</summary>
public sealed class NoRequestIntent : IRequestIntent
{
    public static readonly NoRequestIntent Instance = new();

    public string? Recalled => null;

    public Task RememberAsync(string value, CancellationToken cancellationToken) => Task.CompletedTask;
}
