using System.Security.Cryptography;
using CodingAgent.Application.Notifications;
using CodingAgent.Application.Webhooks;
using CodingAgent.Model;
using CodingAgent.Storage;
using Microsoft.DurableTask.Client;

namespace CodingAgent.Application.Subscriptions;

/// <summary>
/// Logic Apps HTTP Webhook subscriptions: the action subscribes with its callback URL, the run calls it back once
/// (a delivery with its own retrying orchestration) when the subscribed turn settles or the run ends, and the action
/// unsubscribes when it is done or cancelled.
/// </summary>
public sealed class RunSubscriptions(
    SubscriptionStore subscriptions, RunStore runs, TurnStore turns, WebhookTargets targets, DeliveryScheduler deliveries, TimeProvider time)
{
    private const int MaxCallbackUrlLength = 4096;

    /// <summary>What is wrong with a subscribe request, member by member (empty when nothing is); nothing is stored.</summary>
    public async Task<Dictionary<string, string[]>> CheckAsync(string? callbackUrl, string? until, CancellationToken cancellationToken)
    {
        Dictionary<string, string[]> errors = [];
        if (string.IsNullOrWhiteSpace(callbackUrl) || callbackUrl.Length > MaxCallbackUrlLength)
        {
            errors["callbackUrl"] = [$"Required: the https URL to call back (at most {MaxCallbackUrlLength} characters)."];
        }
        else if (await targets.RefusalAsync(callbackUrl, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            errors["callbackUrl"] = [refusal];
        }

        if (until is not (null or SubscriptionUntil.Idle or SubscriptionUntil.Ended))
        {
            errors["until"] = [$"'{SubscriptionUntil.Idle}' (default) or '{SubscriptionUntil.Ended}'."];
        }

        return errors;
    }

    /// <summary>Subscribes a request <see cref="CheckAsync"/> found nothing wrong with.</summary>
    public async Task<SubscriptionRecord> SubscribeAsync(
        RunRecord run, string callbackUrl, string? until, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        until ??= SubscriptionUntil.Idle;

        SubscriptionRecord subscription = new()
        {
            RunId = run.RunId,
            SubscriptionId = "sub_" + RandomNumberGenerator.GetHexString(16, lowercase: true),
            CallbackUrl = callbackUrl,
            Until = until,
            Turn = until == SubscriptionUntil.Idle ? Math.Max(1, run.AcceptedTurns) : null,
            CreatedAt = time.GetUtcNow(),
        };
        await subscriptions.PutAsync(subscription, cancellationToken).ConfigureAwait(false);
        RunRecord marked = await runs.UpdateAsync(run.Key, r => r.HasSubscriptions ? null : r with { HasSubscriptions = true }, cancellationToken)
            .ConfigureAwait(false);

        // What it waits for may have happened already (or while it was being stored): then it is called back at once.
        if (await AlreadyHappenedAsync(marked, subscription, cancellationToken).ConfigureAwait(false) is { } happened)
        {
            await CallBackAsync(marked, subscription, happened, durable, cancellationToken).ConfigureAwait(false);
        }

        return subscription;
    }

    /// <summary>Ends a subscription; false when the run has no such subscription.</summary>
    public async Task<bool> UnsubscribeAsync(RunRecord run, string subscriptionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (await subscriptions.GetAsync(run.RunId, subscriptionId, cancellationToken).ConfigureAwait(false) is not { } subscription)
        {
            return false;
        }

        if (subscription.Status == SubscriptionStatuses.Active)
        {
            await subscriptions.PutAsync(subscription with { Status = SubscriptionStatuses.Cancelled }, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Calls back the run's subscriptions that <paramref name="notification"/> settles.</summary>
    public async Task NotifyAsync(RunRecord run, RunNotification notification, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(notification);
        foreach (SubscriptionRecord subscription in await subscriptions.ListActiveAsync(run.RunId, cancellationToken).ConfigureAwait(false))
        {
            if (Settles(subscription, notification.Type, notification.Turn))
            {
                await CallBackAsync(run, subscription, notification, durable, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool Settles(SubscriptionRecord subscription, string type, int? turn) =>
        type is RunNotificationTypes.RunCompleted or RunNotificationTypes.RunFailed
        || (subscription.Until == SubscriptionUntil.Idle && type == RunNotificationTypes.TurnCompleted && turn >= subscription.Turn);

    private async Task<RunNotification?> AlreadyHappenedAsync(RunRecord run, SubscriptionRecord subscription, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        if (RunStatuses.IsFinal(run.Status))
        {
            string type = run.Status == RunStatuses.Failed ? RunNotificationTypes.RunFailed : RunNotificationTypes.RunCompleted;
            return RunNotification.For(run, type, null, null, now);
        }

        if (subscription.Turn is { } number && await turns.GetAsync(run.RunId, number, cancellationToken).ConfigureAwait(false) is { } turn
            && TurnStatuses.IsSettled(turn.Status))
        {
            return RunNotification.For(run, RunNotificationTypes.TurnCompleted, number, turn.Status, now);
        }

        return null;
    }

    private async Task CallBackAsync(
        RunRecord run, SubscriptionRecord subscription, RunNotification notification, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        await deliveries.ScheduleAsync(run, subscription.SubscriptionId, DeliveryKinds.Subscription, notification.Type, notification.Turn,
            subscription.CallbackUrl, notification, durable, cancellationToken).ConfigureAwait(false);
        await subscriptions.PutAsync(subscription with { Status = SubscriptionStatuses.Notified }, cancellationToken).ConfigureAwait(false);
    }
}
