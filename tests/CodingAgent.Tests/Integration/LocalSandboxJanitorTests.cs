using CodingAgent.Application;
using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Sandboxes;
using CodingAgent.Sandboxes.Local;
using CodingAgent.Storage;
using CodingAgent.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CodingAgent.Tests.Integration;

/// <summary>The janitor over real local sandboxes and real storage: bad entries never stop a sweep, and expiry is enforced.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class LocalSandboxJanitorTests(TestEnvironment environment) : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("local-janitor-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task SweepAsync_OneSandboxWithCorruptState_StillKillsTheOthers()
    {
        using CancellationTokenSource limit = new(TimeSpan.FromSeconds(30));
        (LocalSandboxProvider provider, IOptions<CodingAgentOptions> options) = Provider();
        Dictionary<string, string> tags = new() { [SandboxTags.Deployment] = SandboxDeploymentName.Of(options.Value) };
        ISandbox corruptRecords = await CreateAsync(provider, tags, TimeSpan.FromHours(2));
        ISandbox corruptMetadata = await CreateAsync(provider, tags, TimeSpan.FromHours(2));
        ISandbox clean = await CreateAsync(provider, tags, TimeSpan.FromHours(2));
        int[] pids =
        [
            (await corruptRecords.StartAsync(new CommandSpec("sleep 300"), limit.Token)).Pid!.Value,
            (await clean.StartAsync(new CommandSpec("sleep 300"), limit.Token)).Pid!.Value,
        ];
        string records = Path.Combine(StateOf(corruptRecords), "processes");
        await File.WriteAllTextAsync(Path.Combine(records, "x.pid"), "garbage", limit.Token);
        await File.WriteAllTextAsync(Path.Combine(records, "1.pid"), "0", limit.Token);
        await File.WriteAllBytesAsync(Path.Combine(records, "12345.pid"), [0xff, 0x00], limit.Token);
        await File.WriteAllTextAsync(Path.Combine(StateOf(corruptMetadata), "sandbox.json"), "{\"id\": 17", limit.Token);
        await File.WriteAllTextAsync(Path.Combine(root, SandboxInspector.StateFolder, "lsb-notadirectory"), "x", limit.Token);
        // Past the janitor's grace (the sandboxes name no run), not past their expiry.
        SandboxJanitor janitor = Janitor(provider, options, TimeProvider.System.GetUtcNow().AddHours(1));

        JanitorSweep sweep = await janitor.SweepAsync(limit.Token);

        Assert.Equal(2, sweep.Seen);
        Assert.Equal(new[] { corruptRecords.Id, clean.Id }.Order(), sweep.Killed.Order());
        Assert.Empty(sweep.Failed);
        Assert.All(pids, pid => Assert.False(SandboxInspector.IsAlive(pid)));
        Assert.True(Directory.Exists(Path.Combine(root, corruptMetadata.Id)));
    }

    [Fact]
    public async Task SweepAsync_ExpiredLocalSandboxOfAnActiveRun_IsKilled_AndTheUnexpiredOneIsLeft()
    {
        using CancellationTokenSource limit = new(TimeSpan.FromSeconds(30));
        (LocalSandboxProvider provider, IOptions<CodingAgentOptions> options) = Provider();
        RunStore runs = new(new StorageClients(options.Storage()));
        ISandbox expired = await SandboxOfActiveRunAsync(provider, runs, options, TimeSpan.FromMinutes(1), limit.Token);
        ISandbox live = await SandboxOfActiveRunAsync(provider, runs, options, TimeSpan.FromHours(1), limit.Token);
        int pid = (await expired.StartAsync(new CommandSpec("sleep 300"), limit.Token)).Pid!.Value;
        // Five minutes on: the first sandbox's minute is long over; both runs are active and live in these sandboxes.
        SandboxJanitor janitor = Janitor(provider, options, TimeProvider.System.GetUtcNow().AddMinutes(5));

        JanitorSweep sweep = await janitor.SweepAsync(limit.Token);

        Assert.Equal([expired.Id], sweep.Killed);
        Assert.Empty(sweep.Failed);
        Assert.False(SandboxInspector.IsAlive(pid));
        Assert.False(Directory.Exists(expired.HomePath));
        Assert.True(Directory.Exists(live.HomePath));
    }

    private (LocalSandboxProvider Provider, IOptions<CodingAgentOptions> Options) Provider()
    {
        IOptions<CodingAgentOptions> options = Options.Create(new CodingAgentOptions
        {
            Sandbox = { Local = { Root = root } },
            Storage = new StorageOptions { ConnectionString = environment.StorageConnectionString, NamePrefix = environment.NamePrefix },
        });
        return (new LocalSandboxProvider(options.Sandbox(), TimeProvider.System), options);
    }

    private static SandboxJanitor Janitor(LocalSandboxProvider provider, IOptions<CodingAgentOptions> options, DateTimeOffset now) =>
        new(provider, new RunStore(new StorageClients(options.Storage())), options.Sandbox(), new FakeTimeProvider(now), NullLogger<SandboxJanitor>.Instance);

    private static async Task<ISandbox> SandboxOfActiveRunAsync(
        LocalSandboxProvider provider, RunStore runs, IOptions<CodingAgentOptions> options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        RunRecord run = TestRuns.Record("janitor", RunIds.New(now), RunStatuses.Idle, now) with { SessionActive = true };
        ISandbox sandbox = await CreateAsync(provider, SandboxTags.Of(run, options.Sandbox().Value), timeout);
        await runs.InsertAsync(run with { Agent = new AgentLocation(sandbox.Id, sandbox.HomePath + "/repo", null, null, null) }, cancellationToken);
        return sandbox;
    }

    private static async Task<ISandbox> CreateAsync(LocalSandboxProvider provider, Dictionary<string, string> tags, TimeSpan timeout) =>
        await provider.CreateAsync(new SandboxCreateRequest("local", timeout, tags), CancellationToken.None);

    private string StateOf(ISandbox sandbox) => Path.Combine(root, SandboxInspector.StateFolder, sandbox.Id);
}
