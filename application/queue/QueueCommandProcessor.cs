using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CodingAgent.Application.Idempotency;
using CodingAgent.Application.Requests;
using CodingAgent.Configuration;
using CodingAgent.Json;
using CodingAgent.Model;
using CodingAgent.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using CodingAgent.Telemetry;

namespace CodingAgent.Application.Queue;

/// <summary>
/// The queue front door: a message becomes the same command an HTTP request makes — the same validation
/// (<see cref="CreateRunValidator"/>, <see cref="PromptRules"/>), the same idempotency keys and the same limits
/// (<see cref="RunCommands"/>). What became of each message is recorded; a rejected one is thrown back to the queue's host,
/// which retries it and finally moves it to the poison queue.
/// </summary>
public sealed partial class QueueCommandProcessor(
    CreateRunValidator validator,
    RunCommands commands,
    IdempotentCommands idempotency,
    QueueCommandStore records,
    IOptions<QueueOptions> queue,
    IOptions<LimitOptions> limits,
    TimeProvider time,
    ILogger<QueueCommandProcessor> logger)
{
    public async Task<QueueCommandRecord> ProcessAsync(QueueDelivery delivery, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(durable);
        // The root of the command's trace when no host span encloses it (the self-host's consumer); the run it starts joins it.
        using Activity? span = AgentTelemetry.Source.StartActivity("QueueCommand", ActivityKind.Consumer);
        span?.SetTag("messaging.message.id", delivery.MessageId);
        (QueueCommandMessage? message, string member, string error) = StrictJson.Parse<QueueCommandMessage>(Encoding.UTF8.GetBytes(delivery.Body));
        if (message is null)
        {
            return await RejectAsync(delivery, null, $"The message is not a command: {member}: {error}", cancellationToken).ConfigureAwait(false);
        }

        if (!AccountNames.IsValid(message.Account))
        {
            return await RejectAsync(delivery, message, "account: required, 1 to 64 letters, digits, '.', '_' or '-'.", cancellationToken).ConfigureAwait(false);
        }

        if (queue.Value.AllowedAccounts is { Count: > 0 } allowed && !allowed.Contains(message.Account!, StringComparer.Ordinal))
        {
            return await RejectAsync(delivery, message, $"account: '{message.Account}' may not send commands on this queue (CodingAgent:Queue:AllowedAccounts).",
                cancellationToken).ConfigureAwait(false);
        }

        string key = message.IdempotencyKey ?? "queue-message:" + delivery.MessageId;
        if (!IdempotentCommands.IsValidKey(key))
        {
            return await RejectAsync(delivery, message, $"idempotencyKey: 1 to {IdempotentCommands.MaxKeyLength} printable ASCII characters.", cancellationToken)
                .ConfigureAwait(false);
        }

        return message.Type switch
        {
            QueueCommandTypes.Create => await CreateAsync(delivery, message, key, durable, cancellationToken).ConfigureAwait(false),
            QueueCommandTypes.Message => await MessageAsync(delivery, message, key, durable, cancellationToken).ConfigureAwait(false),
            QueueCommandTypes.End => await EndAsync(delivery, message, durable, cancellationToken).ConfigureAwait(false),
            _ => await RejectAsync(delivery, message,
                $"type: '{message.Type}' is not '{QueueCommandTypes.Create}', '{QueueCommandTypes.Message}' or '{QueueCommandTypes.End}'.", cancellationToken)
                .ConfigureAwait(false),
        };
    }

    private async Task<QueueCommandRecord> CreateAsync(
        QueueDelivery delivery, QueueCommandMessage message, string key, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        if (message.Run is null)
        {
            return await RejectAsync(delivery, message, "run: required for run.create (the body of POST /runs).", cancellationToken).ConfigureAwait(false);
        }

        if (message.ReplyTo is { } replyTo && !QueueNames.IsValid(replyTo))
        {
            return await RejectAsync(delivery, message, "replyTo: a queue name (3 to 63 lower-case letters, digits and single hyphens).", cancellationToken)
                .ConfigureAwait(false);
        }

        (NewRun? run, Dictionary<string, string[]> errors) = validator.Validate(message.Run);
        if (run is null)
        {
            return await RejectAsync(delivery, message, Describe(errors, "run."), cancellationToken).ConfigureAwait(false);
        }

        string account = message.Account!;
        string fingerprint = Fingerprint(QueueCommandTypes.Create, JsonSerializer.Serialize(message.Run, JsonDefaults.Options), message.ReplyTo);
        IdempotentResult<CreateOutcome> result = await idempotency.RunAsync(
            account, key, fingerprint,
            intent => commands.CreateAsync(account, run with { ReplyTo = message.ReplyTo }, durable, cancellationToken, intent),
            outcome => outcome is CreateOutcome.Created created ? new StoredAnswer(202, null, null, created.Run.RunId) : null,
            cancellationToken).ConfigureAwait(false);
        return result.Verdict switch
        {
            IdempotencyVerdict.Replayed => await AcceptAsync(delivery, message, key, result.Replay!.Body, 1, replayed: true, cancellationToken).ConfigureAwait(false),
            IdempotencyVerdict.Handled => result.Result switch
            {
                CreateOutcome.Created created => await AcceptAsync(delivery, message, key, created.Run.RunId, 1, replayed: false, cancellationToken).ConfigureAwait(false),
                CreateOutcome.Rejected rejected => await RejectAsync(delivery, message, $"run.{rejected.Member}: {rejected.Message}", cancellationToken).ConfigureAwait(false),
                CreateOutcome.Forbidden forbidden => await RejectAsync(delivery, message, $"{forbidden.Code}: {forbidden.Message}", cancellationToken).ConfigureAwait(false),
                CreateOutcome.Limited limited => await RejectAsync(delivery, message, $"{limited.Limit.Code}: {limited.Limit.Detail}", cancellationToken).ConfigureAwait(false),
                _ => throw new InvalidOperationException($"Unexpected outcome {result.Result}."),
            },
            _ => await RefuseKeyAsync(delivery, message, result.Verdict, cancellationToken).ConfigureAwait(false),
        };
    }

    private async Task<QueueCommandRecord> MessageAsync(
        QueueDelivery delivery, QueueCommandMessage message, string key, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        List<string> errors = [];
        if (!RunIds.IsWellFormed(message.RunId))
        {
            errors.Add("runId: required, a run id.");
        }

        PromptRules.Check(message.Prompt, "prompt", limits.Value.MaxPromptCharacters, (name, problem) => errors.Add($"{name}: {problem}"));
        if (errors.Count > 0)
        {
            return await RejectAsync(delivery, message, string.Join(" ", errors), cancellationToken).ConfigureAwait(false);
        }

        RunKey run = new(message.Account!, message.RunId!);
        IdempotentResult<MessageOutcome> result = await idempotency.RunAsync(
            run.Account, key, Fingerprint(QueueCommandTypes.Message, run.RunId, message.Prompt),
            intent => commands.AcceptMessageAsync(run, message.Prompt!, durable, cancellationToken, intent),
            outcome => outcome is MessageOutcome.Accepted { Turn: { } turn }
                ? new StoredAnswer(202, null, null, turn.Turn.ToString(CultureInfo.InvariantCulture))
                : null,
            cancellationToken).ConfigureAwait(false);
        return result.Verdict switch
        {
            IdempotencyVerdict.Replayed => await AcceptAsync(
                delivery, message, key, run.RunId, int.Parse(result.Replay!.Body, CultureInfo.InvariantCulture), replayed: true, cancellationToken).ConfigureAwait(false),
            IdempotencyVerdict.Handled => await MessageOutcomeAsync(delivery, message, key, result.Result!, cancellationToken).ConfigureAwait(false),
            _ => await RefuseKeyAsync(delivery, message, result.Verdict, cancellationToken).ConfigureAwait(false),
        };
    }

    private async Task<QueueCommandRecord> EndAsync(QueueDelivery delivery, QueueCommandMessage message, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        if (!RunIds.IsWellFormed(message.RunId))
        {
            return await RejectAsync(delivery, message, "runId: required, a run id.", cancellationToken).ConfigureAwait(false);
        }

        // Ending is idempotent by itself: a repeated end of a run that is ending or ended changes nothing.
        MessageOutcome outcome = await commands.EndSessionAsync(new RunKey(message.Account!, message.RunId!), durable, cancellationToken).ConfigureAwait(false);
        return outcome is MessageOutcome.SessionInactive { Reason: InactiveReasons.Ended }
            ? await AcceptAsync(delivery, message, null, message.RunId!, null, replayed: true, cancellationToken).ConfigureAwait(false)
            : await MessageOutcomeAsync(delivery, message, null, outcome, cancellationToken).ConfigureAwait(false);
    }

    private async Task<QueueCommandRecord> MessageOutcomeAsync(
        QueueDelivery delivery, QueueCommandMessage message, string? key, MessageOutcome outcome, CancellationToken cancellationToken) => outcome switch
    {
        MessageOutcome.Accepted accepted => await AcceptAsync(delivery, message, key, accepted.Run.RunId, accepted.Turn?.Turn, replayed: false, cancellationToken)
            .ConfigureAwait(false),
        MessageOutcome.NotFound => await RejectAsync(delivery, message, $"runId: there is no run '{message.RunId}' in account '{message.Account}'.", cancellationToken)
            .ConfigureAwait(false),
        MessageOutcome.SessionInactive inactive => await RejectAsync(delivery, message,
            $"session_inactive: the run's session is {inactive.Reason} and takes no more prompts.", cancellationToken).ConfigureAwait(false),
        MessageOutcome.Limited limited => await RejectAsync(delivery, message, $"{limited.Limit.Code}: {limited.Limit.Detail}", cancellationToken).ConfigureAwait(false),
        _ => throw new InvalidOperationException($"Unexpected outcome {outcome}."),
    };

    private Task<QueueCommandRecord> RefuseKeyAsync(QueueDelivery delivery, QueueCommandMessage message, IdempotencyVerdict verdict, CancellationToken cancellationToken) =>
        verdict == IdempotencyVerdict.InProgress
            // The first delivery with this key is still being handled: try again later, as HTTP's 409 asks a client to.
            ? throw new InvalidOperationException($"The command with idempotency key '{message.IdempotencyKey}' is still being handled.")
            : RejectAsync(delivery, message, "idempotencyKey: already used for a different command.", cancellationToken);

    private async Task<QueueCommandRecord> AcceptAsync(
        QueueDelivery delivery, QueueCommandMessage message, string? key, string runId, int? turn, bool replayed, CancellationToken cancellationToken)
    {
        QueueCommandRecord record = Record(delivery, message, replayed ? QueueCommandOutcomes.Replayed : QueueCommandOutcomes.Accepted, null) with
        {
            RunId = runId,
            Turn = turn,
            IdempotencyKey = key,
        };
        await records.PutAsync(record, cancellationToken).ConfigureAwait(false);
        return record;
    }

    private async Task<QueueCommandRecord> RejectAsync(QueueDelivery delivery, QueueCommandMessage? message, string reason, CancellationToken cancellationToken)
    {
        QueueCommandRecord record = Record(delivery, message, QueueCommandOutcomes.Rejected, reason);
        await records.PutAsync(record, cancellationToken).ConfigureAwait(false);
        LogRejected(delivery.MessageId, record.Account, record.Type, delivery.DequeueCount, reason);
        throw new QueueCommandRejectedException(reason);
    }

    private QueueCommandRecord Record(QueueDelivery delivery, QueueCommandMessage? message, string outcome, string? reason) => new()
    {
        Account = AccountNames.IsValid(message?.Account) ? message!.Account! : QueueCommandRecord.UnknownAccount,
        MessageId = delivery.MessageId,
        Type = message?.Type is { Length: <= 64 } type ? type : null,
        Outcome = outcome,
        Reason = reason,
        RunId = RunIds.IsWellFormed(message?.RunId) ? message!.RunId : null,
        DequeueCount = delivery.DequeueCount,
        At = time.GetUtcNow(),
    };

    private static string Describe(Dictionary<string, string[]> errors, string prefix) =>
        string.Join(" ", errors.Select(e => $"{prefix}{e.Key}: {string.Join(" ", e.Value)}"));

    private static string Fingerprint(params string?[] parts) =>
        "queue:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue message {MessageId} (account {Account}, type {Type}, attempt {DequeueCount}) rejected: {Reason}")]
    private partial void LogRejected(string messageId, string account, string? type, long dequeueCount, string reason);
}
