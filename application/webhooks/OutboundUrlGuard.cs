using System.Net;
using System.Net.Sockets;

namespace CodingAgent.Application.Webhooks;

/// <summary>
/// Where the product may send a webhook or callback: https to a public address. Loopback, link-local (the cloud metadata
/// endpoint among them), private, shared (CGNAT), unspecified, multicast and reserved ranges are refused — also when a
/// name resolves to one, or an address is spelled in decimal, octal or as IPv4-mapped IPv6 — unless
/// <paramref name="allowLoopback"/> lets loopback through (plain http included), for tests and one-machine setups.
/// </summary>
public static class OutboundUrlGuard
{
    /// <summary>Why <paramref name="url"/> may not be called, or null when it may (its name resolved with <paramref name="resolve"/>).</summary>
    public static async Task<string?> CheckAsync(
        string? url, bool allowLoopback, Func<string, CancellationToken, Task<IPAddress[]>> resolve, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("https" or "http"))
        {
            return "Must be an absolute https URL.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Must not carry credentials.";
        }

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out IPAddress? literal) ? [literal] : await resolve(uri.IdnHost, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return $"The host '{uri.Host}' does not resolve.";
        }

        if (addresses.Length == 0)
        {
            return $"The host '{uri.Host}' does not resolve.";
        }

        bool loopback = addresses.All(IsLoopback);
        if (addresses.FirstOrDefault(a => !IsPublic(a) && !(allowLoopback && IsLoopback(a))) is { } refused)
        {
            return $"The host '{uri.Host}' is (or resolves to) {refused}, which is not a public address.";
        }

        return uri.Scheme == "https" || (allowLoopback && loopback) ? null : "Must be an absolute https URL.";
    }

    /// <summary>Whether a connection to <paramref name="address"/> is allowed (checked again when the connection is made).</summary>
    public static bool MayConnect(IPAddress address, bool allowLoopback)
    {
        ArgumentNullException.ThrowIfNull(address);
        return IsPublic(address) || (allowLoopback && IsLoopback(address));
    }

    private static bool IsLoopback(IPAddress address) => IPAddress.IsLoopback(Normalize(address));

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static bool IsPublic(IPAddress address)
    {
        IPAddress a = Normalize(address);
        if (a.AddressFamily == AddressFamily.InterNetwork)
        {
            byte[] b = a.GetAddressBytes();
            return !(b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
                || (b[0] == 198 && b[1] is 18 or 19)
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }

        if (a.AddressFamily == AddressFamily.InterNetworkV6)
        {
            byte[] b = a.GetAddressBytes();
            return !(a.Equals(IPAddress.IPv6Any) || a.Equals(IPAddress.IPv6Loopback) || a.IsIPv6LinkLocal || a.IsIPv6SiteLocal || a.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC // unique local fc00::/7
                || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) // documentation 2001:db8::/32
                || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B) // NAT64 64:ff9b::/96 can reach IPv4 private space
                || a.IsIPv4MappedToIPv6);
        }

        return false;
    }
}
