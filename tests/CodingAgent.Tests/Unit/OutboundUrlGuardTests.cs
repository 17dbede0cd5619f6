using System.Net;
using CodingAgent.Application.Webhooks;

namespace CodingAgent.Tests.Unit;

/// <summary>Where a webhook may go: public https addresses only, however a private one is spelled or resolved.</summary>
public sealed class OutboundUrlGuardTests
{
    private static readonly Dictionary<string, IPAddress[]> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["localhost"] = [IPAddress.Loopback, IPAddress.IPv6Loopback],
        ["rebind.example"] = [IPAddress.Parse("127.0.0.1")],
        ["mixed.example"] = [IPAddress.Parse("93.184.215.14"), IPAddress.Parse("10.0.0.7")],
        ["internal.example"] = [IPAddress.Parse("192.168.1.10")],
        ["public.example"] = [IPAddress.Parse("93.184.215.14")],
    };

    public static TheoryData<string> Refused() =>
    [
        "http://public.example/hook",
        "ftp://public.example/hook",
        "hook",
        "https://user:pass@public.example/hook",
        "https://127.0.0.1/hook",
        "https://127.1.2.3/hook",
        "https://[::1]/hook",
        "https://0.0.0.0/hook",
        "https://10.0.0.1/hook",
        "https://172.16.5.4/hook",
        "https://192.168.0.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://100.64.0.1/hook",
        "https://[fe80::1]/hook",
        "https://[fd00::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://2130706433/hook",
        "https://0x7f000001/hook",
        "https://0177.0.0.1/hook",
        "https://localhost/hook",
        "https://rebind.example/hook",
        "https://mixed.example/hook",
        "https://internal.example/hook",
        "https://unknown.example/hook",
        "https://224.0.0.1/hook",
    ];

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task PrivateOrMalformedTargets_AreRefused(string url) =>
        Assert.NotNull(await OutboundUrlGuard.CheckAsync(url, allowLoopback: false, ResolveAsync, CancellationToken.None));

    [Theory]
    [InlineData("https://public.example/hook")]
    [InlineData("https://93.184.215.14:8443/hook?x=1")]
    [InlineData("https://[2606:2800:220:1:248:1893:25c8:1946]/hook")]
    public async Task PublicHttpsTargets_AreAllowed(string url) =>
        Assert.Null(await OutboundUrlGuard.CheckAsync(url, allowLoopback: false, ResolveAsync, CancellationToken.None));

    [Fact]
    public async Task AllowLoopback_LetsLoopbackThrough_ButNothingElsePrivate()
    {
        Assert.Null(await OutboundUrlGuard.CheckAsync("http://127.0.0.1:9000/hook", allowLoopback: true, ResolveAsync, CancellationToken.None));
        Assert.Null(await OutboundUrlGuard.CheckAsync("http://localhost:9000/hook", allowLoopback: true, ResolveAsync, CancellationToken.None));
        Assert.NotNull(await OutboundUrlGuard.CheckAsync("https://10.0.0.1/hook", allowLoopback: true, ResolveAsync, CancellationToken.None));
        Assert.NotNull(await OutboundUrlGuard.CheckAsync("http://public.example/hook", allowLoopback: true, ResolveAsync, CancellationToken.None));
        Assert.False(OutboundUrlGuard.MayConnect(IPAddress.Parse("169.254.169.254"), allowLoopback: true));
        Assert.True(OutboundUrlGuard.MayConnect(IPAddress.Loopback, allowLoopback: true));
        Assert.False(OutboundUrlGuard.MayConnect(IPAddress.Loopback, allowLoopback: false));
    }

    private static Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Names.TryGetValue(host, out IPAddress[]? addresses)
            ? Task.FromResult(addresses)
            : Task.FromException<IPAddress[]>(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound));
}
