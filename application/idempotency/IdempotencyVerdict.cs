using CodingAgent.Model;

namespace CodingAgent.Application.Idempotency;

/// <summary>What became of a command sent with an idempotency key.</summary>
public enum IdempotencyVerdict
{
    /// <summary>This call ran the command (first use of the key, or taking over an attempt that died).</summary>
    Handled,

    /// <summary>The key's first use succeeded earlier: its stored answer stands.</summary>
    Replayed,

    /// <summary>The key was used with a different command.</summary>
    KeyReused,

    /// <summary>The key's first use is still running and did not finish in time.</summary>
    InProgress,
}

/// <param name="Result">The command's result when <see cref="Verdict"/> is <see cref="IdempotencyVerdict.Handled"/>.</param>
/// <param name="Replay">The stored answer when <see cref="Verdict"/> is <see cref="IdempotencyVerdict.Replayed"/>.</param>
public sealed record IdempotentResult<T>(IdempotencyVerdict Verdict, T? Result = default, StoredAnswer? Replay = null);
