using System.Net;
using System.Net.Sockets;

namespace CodingAgent.Application.Webhooks;

/// <summary>The HTTP handler for calls to callers' URLs: redirects not followed, each connection's address checked.</summary>
public static class OutboundHandler
{
    public static SocketsHttpHandler Create(WebhookTargets targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                IPAddress[] addresses = IPAddress.TryParse(context.DnsEndPoint.Host.Trim('[', ']'), out IPAddress? literal)
                    ? [literal]
                    : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken).ConfigureAwait(false);
                IPAddress address = addresses.FirstOrDefault(targets.MayConnect)
                    ?? throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves to no public address.");
                Socket socket = new(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }
}
