using CodingAgent.Tests.Support;
using CodingAgent.Application;
using CodingAgent.Configuration;
using CodingAgent.Sandboxes;
using CodingAgent.Storage;
using CodingAgent.Tests.Support.E2BLoopback;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Microsoft.Extensions.Time.Testing;

namespace CodingAgent.Tests.Unit;

/// <summary>The janitor against the loopback E2B, through the real E2B provider.</summary>
public sealed class SandboxJanitorTests
{
    [Fact]
    public async Task Sweep_OneKillFailing_StillKillsTheOtherOrphans_AndReportsTheFailure()
    {
        await using E2BClientHarness e2b = await E2BClientHarness.StartAsync();
        // Tagged with this deployment but naming no run: orphans once past the janitor's grace (the clock is an hour on).
        Dictionary<string, string> tags = new() { [SandboxTags.Deployment] = SandboxDeploymentName.Of(e2b.Options.Value) };
        LoopbackSandbox[] orphans = [e2b.Server.AddForeign(tags), e2b.Server.AddForeign(tags), e2b.Server.AddForeign(tags)];
        e2b.Server.Faults.Add("kill", 1, new LoopbackFault(500, "internal error", "internal_server_error"));
        SandboxJanitor janitor = new(
            e2b.Provider, new RunStore(new StorageClients(e2b.Options.Storage())), e2b.Options.Sandbox(),
            new FakeTimeProvider(TimeProvider.System.GetUtcNow().AddHours(1)), NullLogger<SandboxJanitor>.Instance);

        JanitorSweep sweep = await janitor.SweepAsync(CancellationToken.None);

        Assert.Equal(3, sweep.Seen);
        string failed = Assert.Single(sweep.Failed);
        Assert.Equal(2, sweep.Killed.Count);
        Assert.Equal(3, e2b.Server.Requests.Count(r => r.Operation == "kill"));
        Assert.All(orphans, o => Assert.Equal(o.Id == failed, o.IsAlive));

        JanitorSweep next = await janitor.SweepAsync(CancellationToken.None);

        Assert.Equal([failed], next.Killed);
        Assert.Empty(e2b.Server.LiveSandboxes);
    }

    [Fact]
    public async Task Sweep_KillThrowingAnyException_StillKillsTheOthers()
    {
        IOptions<CodingAgentOptions> options = Options.Create(new CodingAgentOptions());
        Dictionary<string, string> tags = new() { [SandboxTags.Deployment] = SandboxDeploymentName.Of(options.Value) };
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        SandboxInfo[] listed = [.. new[] { "a", "b", "c" }.Select(id => new SandboxInfo(id, SandboxState.Running, now, now.AddHours(2), tags))];
        ISandboxProvider provider = Substitute.For<ISandboxProvider>();
        provider.ListAsync(Arg.Any<IReadOnlyDictionary<string, string>>(), Arg.Any<CancellationToken>()).Returns(Listed(listed));
        provider.KillAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(true);
        provider.KillAsync("b", Arg.Any<CancellationToken>()).ThrowsAsync(new IOException("a file the agent made read-only"));
        // The sandboxes name no run, and the clock is past the janitor's grace: the run store is never asked.
        SandboxJanitor janitor = new(
            provider, new RunStore(new StorageClients(options.Storage())), options.Sandbox(), new FakeTimeProvider(now.AddHours(1)), NullLogger<SandboxJanitor>.Instance);

        JanitorSweep sweep = await janitor.SweepAsync(CancellationToken.None);

        Assert.Equal(["a", "c"], sweep.Killed);
        Assert.Equal(["b"], sweep.Failed);
    }

    private static async IAsyncEnumerable<SandboxInfo> Listed(IEnumerable<SandboxInfo> sandboxes)
    {
        foreach (SandboxInfo sandbox in sandboxes)
        {
            await Task.Yield();
            yield return sandbox;
        }
    }
}
