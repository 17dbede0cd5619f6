using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using CodingAgent.Configuration;
using CodingAgent.Functions;
using CodingAgent.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace CodingAgent.SelfHost.Jobs;

/// <summary>
/// The self-host's queue trigger: polls the command queue as the Functions host does (batches handled at once, an empty
/// queue polled less often up to a limit) and hands each message to the same function method. A message whose handling
/// throws is made visible again at once, and moved to the poison queue on its last allowed attempt.
/// </summary>
internal sealed partial class QueueCommandConsumer(
    IServiceProvider services, StorageClients clients, DurableTaskClient durable, IOptions<QueueOptions> options, ILogger<QueueCommandConsumer> logger)
    : BackgroundService
{
    private static readonly TimeSpan FirstPollInterval = TimeSpan.FromMilliseconds(50);

    // Longer than any command takes; a host that dies mid-message leaves it to be picked up again after this.
    private static readonly TimeSpan Invisibility = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        QueueOptions settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        QueueCommandFunction function = ActivatorUtilities.CreateInstance<QueueCommandFunction>(services);
        TimeSpan wait = FirstPollInterval;
        TimeSpan longest = TimeSpan.FromMilliseconds(Math.Max(settings.MaxPollingIntervalMilliseconds, FirstPollInterval.TotalMilliseconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] batch;
            try
            {
                QueueClient queue = await clients.QueueAsync(settings.Name, stoppingToken).ConfigureAwait(false);
                batch = (await queue.ReceiveMessagesAsync(settings.BatchSize, Invisibility, stoppingToken).ConfigureAwait(false)).Value;
                if (batch.Length > 0)
                {
                    await Task.WhenAll(batch.Select(m => HandleAsync(function, queue, m, settings, stoppingToken))).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPollFailed(ex, settings.Name);
                batch = [];
            }

            wait = batch.Length > 0 ? FirstPollInterval : TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, longest.Ticks));
            if (batch.Length == 0)
            {
                await Task.Delay(wait, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task HandleAsync(QueueCommandFunction function, QueueClient queue, QueueMessage message, QueueOptions settings, CancellationToken stoppingToken)
    {
        try
        {
            await function.Process(message, durable, stoppingToken).ConfigureAwait(false);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= settings.MaxDequeueCount)
            {
                QueueClient poison = await clients.QueueAsync(settings.PoisonName, stoppingToken).ConfigureAwait(false);
                await poison.SendMessageAsync(message.Body, cancellationToken: stoppingToken).ConfigureAwait(false);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken).ConfigureAwait(false);
                LogPoisoned(message.MessageId, message.DequeueCount, settings.PoisonName);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: stoppingToken)
                    .ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling queue {Queue} failed; polling goes on")]
    private partial void LogPollFailed(Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue message {MessageId} failed {DequeueCount} times and was moved to {PoisonQueue}")]
    private partial void LogPoisoned(string messageId, long dequeueCount, string poisonQueue);
}
