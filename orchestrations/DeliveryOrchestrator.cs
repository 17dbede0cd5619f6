using CodingAgent.Application.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace CodingAgent.Orchestrations;

/// <summary>
/// One notification to a caller's URL (a signed webhook or a Logic Apps callback), apart from the run so a slow or
/// failing receiver never holds a turn: the <c>Deliver</c> activity is retried with doubling waits, and a delivery that
/// never got through is marked failed in the run's delivery log.
/// </summary>
public static class DeliveryOrchestrator
{
    [Function(OrchestrationNames.Delivery)]
    public static async Task RunAsync([OrchestrationTrigger] TaskOrchestrationContext context, DeliveryInput delivery)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(delivery);
        TaskOptions retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
            maxNumberOfAttempts: Math.Max(1, delivery.MaxAttempts),
            firstRetryInterval: TimeSpan.FromSeconds(Math.Max(1, delivery.FirstRetrySeconds)),
            backoffCoefficient: 2.0,
            maxRetryInterval: TimeSpan.FromSeconds(Math.Max(1, delivery.MaxRetrySeconds))));
        try
        {
            await context.CallActivityAsync(ActivityNames.Deliver, delivery, retry);
        }
        catch (TaskFailedException)
        {
            await context.CallActivityAsync(ActivityNames.AbandonDelivery, delivery);
        }
    }
}
