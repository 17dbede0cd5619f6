using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using CodingAgent.Application.Workflow;
using CodingAgent.Configuration;
using CodingAgent.Model;
using CodingAgent.Storage;
using Microsoft.Extensions.Options;

namespace CodingAgent.Application.Webhooks;

/// <summary>
/// POSTs a stored delivery: signed with the account's secret (Standard Webhooks) when it is a run webhook, as is when it
/// is a Logic Apps callback. Redirects are not followed, and the connection is refused when the name now resolves to an
/// address that is not public (the HTTP client's connect callback checks each connection). Each attempt is recorded.
/// </summary>
public sealed class DeliverySender(
    IHttpClientFactory httpClients, DeliveryStore deliveries, WebhookSecretStore secrets, IOptions<WebhookOptions> options, TimeProvider time)
{
    public const string HttpClientName = "webhooks";

    public async Task AttemptAsync(DeliveryInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        DeliveryRecord delivery = await deliveries.GetAsync(input.RunId, input.DeliveryId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Delivery {input.DeliveryId} of run {input.RunId} does not exist.");
        if (delivery.Status == DeliveryStatuses.Delivered)
        {
            return; // an earlier attempt got through and the activity is being replayed
        }

        using HttpRequestMessage request = new(HttpMethod.Post, delivery.Url) { Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json") };
        if (delivery.Kind == DeliveryKinds.Webhook)
        {
            string secret = await secrets.GetOrCreateAsync(input.Account, WebhookSignature.NewSecret, cancellationToken).ConfigureAwait(false);
            long timestamp = time.GetUtcNow().ToUnixTimeSeconds();
            request.Headers.Add("webhook-id", delivery.DeliveryId);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", WebhookSignature.Sign(secret, delivery.DeliveryId, timestamp, delivery.Body));
        }

        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("coding-agent-api", "1"));
        int? status = null;
        string? error = null;
        using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        try
        {
            using HttpResponseMessage response = await httpClients.CreateClient(HttpClientName).SendAsync(request, limit.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            error = response.IsSuccessStatusCode ? null : $"The receiver answered {status}.";
        }
        catch (HttpRequestException ex)
        {
            error = "The receiver could not be reached: " + (ex.InnerException?.Message ?? ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = $"The receiver did not answer within {options.Value.TimeoutSeconds} s.";
        }

        DateTimeOffset now = time.GetUtcNow();
        await deliveries.PutAsync(delivery with
        {
            Attempts = delivery.Attempts + 1,
            LastStatusCode = status,
            LastError = error,
            Status = error is null ? DeliveryStatuses.Delivered : DeliveryStatuses.Pending,
            DeliveredAt = error is null ? now : null,
        }, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            throw new DeliveryFailedException(error);
        }
    }

    public async Task AbandonAsync(DeliveryInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (await deliveries.GetAsync(input.RunId, input.DeliveryId, cancellationToken).ConfigureAwait(false) is { Status: not DeliveryStatuses.Delivered } delivery)
        {
            await deliveries.PutAsync(delivery with { Status = DeliveryStatuses.Failed }, cancellationToken).ConfigureAwait(false);
        }
    }
}
