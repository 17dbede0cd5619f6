using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using CodingAgent.Application.Subscriptions;
using CodingAgent.Application.Webhooks;
using CodingAgent.Json;
using CodingAgent.Model;
using CodingAgent.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace CodingAgent.Application.Notifications;

/// <summary>
/// Tells a run's listeners when a turn settles, the run goes idle, and the run ends: its <c>replyTo</c> queue (sent here,
/// once each: a ledger keeps what was sent), its signed webhook and its Logic Apps subscriptions (deliveries, each with
/// its own retrying orchestration).
/// A notification that cannot be handed on is logged and does not fail the run: the run's state is what counts, and it
/// is always readable through the API.
/// </summary>
public sealed partial class RunNotifier(
    StorageClients clients, NotificationLedger ledger, DeliveryScheduler deliveries, RunSubscriptions subscriptions, TimeProvider time, ILogger<RunNotifier> logger)
{
    public async Task TurnSettledAsync(RunRecord run, int turn, string turnStatus, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.ReplyTo is null && run.WebhookUrl is null && !run.HasSubscriptions)
        {
            return;
        }

        await NotifyAsync(run, RunNotificationTypes.TurnCompleted, turn, turnStatus, durable, cancellationToken).ConfigureAwait(false);
        if (run.Status == RunStatuses.Idle)
        {
            await NotifyAsync(run, RunNotificationTypes.RunIdle, turn, turnStatus, durable, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task RunEndedAsync(RunRecord run, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if ((run.ReplyTo is not null || run.WebhookUrl is not null || run.HasSubscriptions) && RunStatuses.IsFinal(run.Status))
        {
            string type = run.Status == RunStatuses.Failed ? RunNotificationTypes.RunFailed : RunNotificationTypes.RunCompleted;
            await NotifyAsync(run, type, null, null, durable, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task NotifyAsync(RunRecord run, string type, int? turn, string? turnStatus, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        string id = RunNotification.IdOf(type, turn);
        RunNotification notification = RunNotification.For(run, type, turn, turnStatus, time.GetUtcNow());
        try
        {
            if (run.ReplyTo is { } replyTo)
            {
                await SendToQueueAsync(run, replyTo, id, notification, cancellationToken).ConfigureAwait(false);
            }

            if (run.WebhookUrl is { } url && run.WebhookEvents.Contains(type, StringComparer.Ordinal))
            {
                await deliveries.ScheduleAsync(run, id, DeliveryKinds.Webhook, type, turn, url, notification, durable, cancellationToken).ConfigureAwait(false);
            }

            if (run.HasSubscriptions)
            {
                await subscriptions.NotifyAsync(run, notification, durable, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException ex)
        {
            LogNotSent(ex, type, run.RunId);
        }
    }

    private async Task SendToQueueAsync(RunRecord run, string replyTo, string id, RunNotification notification, CancellationToken cancellationToken)
    {
        if (await ledger.WasSentAsync(run.RunId, id, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        QueueClient queue = await clients.QueueAsync(replyTo, cancellationToken).ConfigureAwait(false);
        await queue.SendMessageAsync(JsonSerializer.Serialize(notification, JsonDefaults.Options), cancellationToken).ConfigureAwait(false);
        await ledger.RecordSentAsync(run.RunId, id, notification.At, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Type} notification of run {RunId} could not be handed on")]
    private partial void LogNotSent(Exception exception, string type, string runId);
}
