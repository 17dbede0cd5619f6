using System.Security.Cryptography;
using System.Text;
using CodingAgent.Application;
using CodingAgent.Application.Idempotency;
using Microsoft.AspNetCore.Http;

namespace CodingAgent.Api.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on every POST: the header's HTTP side (its format, the request's fingerprint, the answers)
/// around <see cref="IdempotentCommands"/>. The same key with the same route and body gets the first answer again;
/// the same key with anything else answers 422; a request that does not succeed frees its key for a retry.
/// </summary>
public sealed class IdempotencyGuard(IdempotentCommands commands)
{
    public const string HeaderName = "Idempotency-Key";

    public async Task<IResult> RunAsync(HttpContext context, string account, byte[] body, Func<IRequestIntent, Task<IResult>> handle)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(handle);
        if (!context.Request.Headers.TryGetValue(HeaderName, out Microsoft.Extensions.Primitives.StringValues values))
        {
            return await handle(NoRequestIntent.Instance).ConfigureAwait(false);
        }

        string key = values.ToString();
        if (values.Count != 1 || !IdempotentCommands.IsValidKey(key))
        {
            return Problems.InvalidRequest(context, new Dictionary<string, string[]>
            {
                [HeaderName] = [$"One value of 1 to {IdempotentCommands.MaxKeyLength} printable ASCII characters."],
            });
        }

        IdempotentResult<IResult> outcome = await commands.RunAsync(
            account, key, Fingerprint(context.Request, body), handle,
            result => result is JsonAnswer { IsSuccess: true } success ? success.ToStored() : null,
            context.RequestAborted).ConfigureAwait(false);
        return outcome.Verdict switch
        {
            IdempotencyVerdict.Handled => outcome.Result!,
            IdempotencyVerdict.Replayed => JsonAnswer.Replay(outcome.Replay!),
            IdempotencyVerdict.KeyReused => Problems.IdempotencyKeyReused(context),
            _ => Problems.IdempotencyInProgress(context),
        };
    }

    private static string Fingerprint(HttpRequest request, byte[] body)
    {
        using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
