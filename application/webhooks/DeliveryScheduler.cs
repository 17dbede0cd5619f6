using System.Text.Json;
using CodingAgent.Application.Workflow;
using CodingAgent.Configuration;
using CodingAgent.Json;
using CodingAgent.Model;
using CodingAgent.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace CodingAgent.Application.Webhooks;

/// <summary>
/// Stores a delivery and starts the orchestration that sends it (instance id from the run and the delivery, so a retried
/// activity neither stores nor starts it twice).
/// </summary>
public sealed class DeliveryScheduler(DeliveryStore deliveries, IOptions<WebhookOptions> options, TimeProvider time)
{
    public async Task ScheduleAsync(
        RunRecord run, string deliveryId, string kind, string eventType, int? turn, string url, object payload, DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(durable);
        DeliveryRecord delivery = new()
        {
            RunId = run.RunId,
            DeliveryId = deliveryId,
            Kind = kind,
            Event = eventType,
            Turn = turn,
            Url = url,
            Body = JsonSerializer.Serialize(payload, JsonDefaults.Options),
            CreatedAt = time.GetUtcNow(),
        };
        bool added = await deliveries.TryAddAsync(delivery, cancellationToken).ConfigureAwait(false);
        string instanceId = $"{run.RunId}-delivery-{deliveryId}";
        if (!added && await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        WebhookOptions settings = options.Value;
        DeliveryInput input = new(run.Account, run.RunId, deliveryId, settings.MaxAttempts, settings.FirstRetrySeconds, settings.MaxRetrySeconds);
        await durable.ScheduleNewOrchestrationInstanceAsync(OrchestrationNames.Delivery, input, new StartOrchestrationOptions(instanceId), cancellationToken)
            .ConfigureAwait(false);
    }
}
