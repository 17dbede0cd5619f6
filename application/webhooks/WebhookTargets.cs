using System.Net;
using CodingAgent.Configuration;
using Microsoft.Extensions.Options;

namespace CodingAgent.Application.Webhooks;

/// <summary>Whether a caller's URL may receive this deployment's calls (<see cref="OutboundUrlGuard"/> with real name resolution).</summary>
public sealed class WebhookTargets(IOptions<WebhookOptions> options)
{
    public Task<string?> RefusalAsync(string url, CancellationToken cancellationToken) =>
        OutboundUrlGuard.CheckAsync(url, options.Value.AllowLoopback, Dns.GetHostAddressesAsync, cancellationToken);

    public bool MayConnect(IPAddress address) => OutboundUrlGuard.MayConnect(address, options.Value.AllowLoopback);
}
