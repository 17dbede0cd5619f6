using CodingAgent.Sandboxes;
using CodingAgent.Sandboxes.E2B;
using CodingAgent.Tests.Support.E2BLoopback;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Timeout;

namespace CodingAgent.Tests.Unit;

/// <summary>A call E2B never answers fails with a message naming the call, never with the resilience library's own.</summary>
public sealed class E2BTimeoutMessageTests
{
    // The product's attempt timeout is 30 s; a shorter one of the same kind is added under it so the test need not wait
    // that long — long enough that the request reaches the loopback server even while the other tests load the machine.
    private static readonly TimeSpan ShortAttempt = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Create_NeverAnswered_FailsWithASandboxExceptionNamingTheCall_NotPollysMessage()
    {
        await using E2BClientHarness e2b = await E2BClientHarness.StartAsync(services =>
            services.AddHttpClient(E2BHttpClients.Api).AddResilienceHandler("test-short-attempt", pipeline => pipeline.AddTimeout(ShortAttempt)));
        e2b.Server.Faults.Add("create", 1, LoopbackFault.Hang());

        SandboxException failed = await Assert.ThrowsAsync<SandboxException>(() =>
            e2b.Provider.CreateAsync(new SandboxCreateRequest("coding-agent-opencode", TimeSpan.FromMinutes(5), new Dictionary<string, string>()), CancellationToken.None));

        Assert.Equal($"E2B's API at {e2b.Server.BaseUrl.Host} did not answer POST /v2/sandboxes within 3 s.", failed.Message);
        Assert.IsType<TimeoutRejectedException>(failed.InnerException);
        Assert.Single(e2b.Server.Requests, r => r.Operation == "create");
    }
}
