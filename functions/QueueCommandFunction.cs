using Azure.Storage.Queues.Models;
using CodingAgent.Application.Queue;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CodingAgent.Functions;

/// <summary>
/// The queue front door: <c>run.create</c>, <c>run.message</c> and <c>run.end</c> from Azure Storage queue producers
/// (docs/queue.md). A rejected message throws, so the host retries it and moves it to the poison queue after
/// host.json's <c>maxDequeueCount</c>; the self-host consumes the same queue through this same method.
/// </summary>
public sealed class QueueCommandFunction(QueueCommandProcessor processor)
{
    public const string QueueName = "%CodingAgent__Queue__Name%";

    // The app's host storage (identity-based in Azure: AzureWebJobsStorage__queueServiceUri); infra/ puts the product's
    // storage (CodingAgent:Storage, which the self-host's consumer reads) in that same account (docs/queue.md).
    public const string Connection = "AzureWebJobsStorage";

    [Function("QueueCommand")]
    public Task Process(
        [QueueTrigger(QueueName, Connection = Connection)] QueueMessage message, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return processor.ProcessAsync(new QueueDelivery(message.MessageId, message.Body.ToString(), message.DequeueCount), durable, cancellationToken);
    }
}
