using CodingAgent.Application.Webhooks;
using CodingAgent.Application.Workflow;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Activities;

/// <summary>One attempt at a delivery; a failed attempt throws, so the delivery orchestration retries it.</summary>
public sealed class DeliverActivity(DeliverySender sender)
{
    [Function(ActivityNames.Deliver)]
    public Task Deliver([ActivityTrigger] DeliveryInput input, CancellationToken cancellationToken) => sender.AttemptAsync(input, cancellationToken);

    [Function(ActivityNames.AbandonDelivery)]
    public Task Abandon([ActivityTrigger] DeliveryInput input, CancellationToken cancellationToken) => sender.AbandonAsync(input, cancellationToken);
}
