using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CodingAgent.Configuration;
using CodingAgent.Sandboxes;
using CodingAgent.Sandboxes.Local;
using CodingAgent.Tests.Support;
using Microsoft.Extensions.Options;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// The local provider used directly, with the agent as the adversary: it runs bash as the same OS user, so whatever it
/// can write (its sandbox directory, even the provider's state folder) must not steer a signal, nor an environment.
/// </summary>
public sealed class LocalSandboxBoundaryTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("local-boundary-").FullName;
    private readonly LocalSandboxProvider provider;
    private readonly List<Process> strays = [];

    public LocalSandboxBoundaryTests()
    {
        provider = new LocalSandboxProvider(Options.Create(new SandboxOptions { Local = { Root = root } }), TimeProvider.System);
    }

    public void Dispose()
    {
        foreach (Process stray in strays)
        {
            stray.Kill();
            stray.Dispose();
        }

        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task KillAsync_PlantedAndMalformedPidRecords_KillsBothBackgroundProcessesAndNothingElse()
    {
        using CancellationTokenSource limit = new(TimeSpan.FromSeconds(30));
        ISandbox sandbox = await CreateAsync();
        int first = (await sandbox.StartAsync(new CommandSpec("sleep 300"), limit.Token)).Pid!.Value;
        int second = (await sandbox.StartAsync(new CommandSpec("sleep 300"), limit.Token)).Pid!.Value;
        // The test runner, and the leader of its process group (dotnet test), each with its true start time.
        int group = SandboxInspector.Stat(Environment.ProcessId)!.Value.Group;
        int[] ours = [Environment.ProcessId, .. SandboxInspector.Stat(group) is { } leader && leader.Group == group ? [group] : Array.Empty<int>()];
        // The old layout's places, in the agent's reach...
        Plant(Path.Combine(root, sandbox.Id, "processes"), ours);
        // ...and the provider's own records, as an agent that found them would.
        Plant(Path.Combine(StateOf(sandbox), "processes"), ours);

        Assert.True(await provider.KillAsync(sandbox.Id, limit.Token));

        await WaitUntilAsync(() => !SandboxInspector.IsAlive(first) && !SandboxInspector.IsAlive(second), limit.Token);
        Assert.All(ours, pid => Assert.True(SandboxInspector.IsAlive(pid)));
        Assert.False(Directory.Exists(Path.Combine(root, sandbox.Id)));
        Assert.False(Directory.Exists(StateOf(sandbox)));
    }

    [Fact]
    public async Task KillAsync_RecordOfAReusedPid_IsNotSignalled()
    {
        using CancellationTokenSource limit = new(TimeSpan.FromSeconds(30));
        ISandbox sandbox = await CreateAsync();
        // A group leader whose start time is not the recorded one: the pid of a process that ended, now someone else's.
        Process reused = Stray("setsid", "sleep", "300");
        await WaitUntilAsync(() => SandboxInspector.Stat(reused.Id)?.Group == reused.Id, limit.Token);
        ulong reusedStart = SandboxInspector.Stat(reused.Id)!.Value.StartTime;
        string processes = Path.Combine(StateOf(sandbox), "processes");
        await File.WriteAllTextAsync(Path.Combine(processes, $"{reused.Id}.pid"), (reusedStart + 1).ToString(CultureInfo.InvariantCulture), limit.Token);

        Assert.False(await sandbox.SignalAsync(reused.Id.ToString(CultureInfo.InvariantCulture), ProcessSignal.Kill, limit.Token));
        Assert.True(await provider.KillAsync(sandbox.Id, limit.Token));

        Assert.True(SandboxInspector.IsAlive(reused.Id));
    }

    [Fact]
    public async Task RunAndStart_HostSecretsInTheEnvironment_NeverReachTheCommand()
    {
        using CancellationTokenSource limit = new(TimeSpan.FromSeconds(30));
        using HostVariable secret = new("FOO_SECRET", "foo-secret-value");
        using HostVariable connection = new("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "AccountKey=hostkey");
        ISandbox sandbox = await CreateAsync(new Dictionary<string, string> { ["SANDBOX_VAR"] = "from-create" });
        CommandSpec env = new("env", Env: new Dictionary<string, string> { ["REQUEST_VAR"] = "from-request" });

        string foreground = (await sandbox.RunAsync(env, limit.Token)).Stdout;
        IProcessHandle background = await sandbox.StartAsync(env, limit.Token);
        string backgroundOutput = await ReadAllAsync(background, limit.Token);

        foreach (string output in new[] { foreground, backgroundOutput })
        {
            Dictionary<string, string> vars = Variables(output);
            Assert.DoesNotContain("FOO_SECRET", vars.Keys);
            Assert.DoesNotContain("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", vars.Keys);
            Assert.DoesNotContain("foo-secret-value", output, StringComparison.Ordinal);
            Assert.Equal(Environment.GetEnvironmentVariable("PATH"), vars["PATH"]);
            Assert.Equal(sandbox.HomePath, vars["HOME"]);
            Assert.Equal("from-request", vars["REQUEST_VAR"]);
            Assert.Equal("from-create", vars["SANDBOX_VAR"]);
        }
    }

    [Fact]
    public async Task RunAsync_AfterTheAgentRewritesSandboxFilesAndTriesTheState_UsesTheProvidersEnvironment()
    {
        using CancellationTokenSource limit = new(TimeSpan.FromSeconds(30));
        ISandbox sandbox = await CreateAsync(new Dictionary<string, string> { ["SANDBOX_VAR"] = "from-create" });
        string injected = """{"id":"ID","createdAt":"2020-01-01T00:00:00Z","expiresAt":"2999-01-01T00:00:00Z","metadata":{},"envVars":{"INJECTED":"1","SANDBOX_VAR":"evil"}}"""
            .Replace("ID", sandbox.Id, StringComparison.Ordinal);
        string script = $"printf '%s' {ShellQuote.Of(injected)} | tee ../sandbox.json sandbox.json > /dev/null && mkdir -p ../processes && echo 1 > ../processes/1.pid";
        Assert.True((await sandbox.RunAsync(new CommandSpec(script), limit.Token)).Succeeded);
        await Assert.ThrowsAsync<SandboxException>(() => sandbox.WriteFileAsync($"../../{SandboxInspector.StateFolder}/{sandbox.Id}/sandbox.json", Encoding.UTF8.GetBytes(injected), limit.Token));
        Directory.CreateSymbolicLink(Path.Combine(sandbox.HomePath, "state"), StateOf(sandbox));
        await Assert.ThrowsAsync<SandboxException>(() => sandbox.WriteFileAsync("state/sandbox.json", Encoding.UTF8.GetBytes(injected), limit.Token));
        await Assert.ThrowsAsync<SandboxException>(() => sandbox.ReadFileAsync("state/sandbox.json", limit.Token));
        File.CreateSymbolicLink(Path.Combine(sandbox.HomePath, "dangling"), Path.Combine(StateOf(sandbox), "planted.json"));
        await Assert.ThrowsAsync<SandboxException>(() => sandbox.WriteFileAsync("dangling", Encoding.UTF8.GetBytes(injected), limit.Token));
        Assert.False(File.Exists(Path.Combine(StateOf(sandbox), "planted.json")));
        await sandbox.WriteFileAsync("new/folder/file.txt", Encoding.UTF8.GetBytes("fine"), limit.Token); // inside home: allowed
        Assert.Equal("fine", await File.ReadAllTextAsync(Path.Combine(sandbox.HomePath, "new", "folder", "file.txt"), limit.Token));

        ISandbox reconnected = (await provider.ConnectAsync(sandbox.Id, limit.Token))!;
        foreach (ISandbox attached in new[] { sandbox, reconnected })
        {
            Dictionary<string, string> vars = Variables((await attached.RunAsync(new CommandSpec("env"), limit.Token)).Stdout);
            Assert.DoesNotContain("INJECTED", vars.Keys);
            Assert.Equal("from-create", vars["SANDBOX_VAR"]);
        }
    }

    [Fact]
    public async Task ConnectAndList_StateMetadataNotWellFormed_RefusedOrSkippedNeverTrusted()
    {
        using CancellationTokenSource limit = new(TimeSpan.FromSeconds(30));
        ISandbox good = await CreateAsync();
        ISandbox garbage = await CreateAsync();
        ISandbox badName = await CreateAsync();
        await File.WriteAllTextAsync(Path.Combine(StateOf(garbage), "sandbox.json"), "{ not json", limit.Token);
        JsonNode metadata = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(StateOf(badName), "sandbox.json"), limit.Token))!;
        metadata["envVars"] = new JsonObject { ["BASH_FUNC_x%%"] = "() { id; }" }; // not a name: bash would import it as a function
        await File.WriteAllTextAsync(Path.Combine(StateOf(badName), "sandbox.json"), metadata.ToJsonString(), limit.Token);
        await File.WriteAllTextAsync(Path.Combine(root, SandboxInspector.StateFolder, "lsb-afile"), "x", limit.Token);
        Directory.CreateDirectory(Path.Combine(root, SandboxInspector.StateFolder, "lsb-empty"));
        DateTimeOffset expires = await provider.SetTimeoutAsync(good.Id, TimeSpan.FromMinutes(7), limit.Token);

        List<SandboxInfo> listed = [];
        await foreach (SandboxInfo info in provider.ListAsync(new Dictionary<string, string>(), limit.Token))
        {
            listed.Add(info);
        }

        SandboxInfo only = Assert.Single(listed);
        Assert.Equal(good.Id, only.Id);
        Assert.Equal(expires, only.ExpiresAt);
        await Assert.ThrowsAsync<SandboxException>(() => provider.ConnectAsync(garbage.Id, limit.Token));
        await Assert.ThrowsAsync<SandboxException>(() => provider.ConnectAsync(badName.Id, limit.Token));
    }

    private async Task<ISandbox> CreateAsync(Dictionary<string, string>? env = null) =>
        await provider.CreateAsync(new SandboxCreateRequest("local", TimeSpan.FromHours(1), new Dictionary<string, string>(), env), CancellationToken.None);

    private string StateOf(ISandbox sandbox) => Path.Combine(root, SandboxInspector.StateFolder, sandbox.Id);

    // Records naming pid 1, pid 0, -1, the test's own processes, a name that is no number, and content that is no start time.
    private static void Plant(string folder, int[] ours)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "1.pid"), "0");
        File.WriteAllText(Path.Combine(folder, "0.pid"), "0");
        File.WriteAllText(Path.Combine(folder, "-1.pid"), "0");
        File.WriteAllText(Path.Combine(folder, "x.pid"), "1");
        foreach (int pid in ours)
        {
            File.WriteAllText(Path.Combine(folder, $"{pid}.pid"), SandboxInspector.Stat(pid)!.Value.StartTime.ToString(CultureInfo.InvariantCulture));
        }

        File.WriteAllText(Path.Combine(folder, "99999999999.pid"), "1");
        File.WriteAllBytes(Path.Combine(folder, "4242.pid"), [0xff, 0xfe, 0x00, 0x41]);
        File.WriteAllText(Path.Combine(folder, "garbage"), "kill -- -1");
        Directory.CreateDirectory(Path.Combine(folder, "77.pid"));
    }

    private Process Stray(string fileName, params string[] arguments)
    {
        Process process = Process.Start(new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true })!;
        strays.Add(process);
        return process;
    }

    private static async Task<string> ReadAllAsync(IProcessHandle handle, CancellationToken cancellationToken)
    {
        StringBuilder text = new();
        await foreach (string line in handle.ReadOutputLinesAsync(cancellationToken))
        {
            text.AppendLine(line);
        }

        return text.ToString();
    }

    private static Dictionary<string, string> Variables(string envOutput) =>
        envOutput.Split('\n').Where(l => l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2)).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Last()[1]);

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(25, cancellationToken);
        }
    }

    private sealed class HostVariable : IDisposable
    {
        private readonly string name;
        private readonly string? previous;

        public HostVariable(string name, string value)
        {
            this.name = name;
            previous = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose() => Environment.SetEnvironmentVariable(name, previous);
    }
}
