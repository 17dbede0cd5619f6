using System.Diagnostics;
using CodingAgent.Application.Webhooks;
using CodingAgent.Application.Workflow;
using CodingAgent.Telemetry;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Activities;

/// <summary>One attempt at a delivery; a failed attempt throws, so the delivery orchestration retries it.</summary>
public sealed class DeliverActivity(DeliverySender sender)
{
    [Function(ActivityNames.Deliver)]
    public async Task Deliver([ActivityTrigger] DeliveryInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Activity? span = AgentTelemetry.StartRunSpan(ActivityNames.Deliver, new(input.Account, input.RunId));
        await sender.AttemptAsync(input, cancellationToken).ConfigureAwait(false);
    }

    [Function(ActivityNames.AbandonDelivery)]
    public async Task Abandon([ActivityTrigger] DeliveryInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Activity? span = AgentTelemetry.StartRunSpan(ActivityNames.AbandonDelivery, new(input.Account, input.RunId));
        await sender.AbandonAsync(input, cancellationToken).ConfigureAwait(false);
    }
}
