using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using CodingAgent.Tests.Support.ScriptedModel;

namespace CodingAgent.Tests.Support;

/// <summary>
/// Real components shared by the integration tests: Azurite, the scripted model, a sandbox root and a storage prefix of
/// their own. Self-hosts are started per test from <see cref="Environment"/>.
/// </summary>
public sealed class TestEnvironment : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Task<string>> sharedKeys = new(StringComparer.Ordinal);
    private AzuriteServer? azurite;
    private ScriptedModelServer? model;

    public string SandboxRoot { get; } = Directory.CreateTempSubdirectory("sandboxes-").FullName;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("agent-data-").FullName;

    public string NamePrefix { get; } = "t" + RandomNumberGenerator.GetHexString(8, lowercase: true);

    public string EncryptionKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string StorageConnectionString => azurite!.ConnectionString;

    public ScriptedModelServer Model => model!;

    public async Task InitializeAsync()
    {
        azurite = await AzuriteServer.StartAsync();
        model = await ScriptedModelServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (model is not null)
        {
            await model.DisposeAsync();
        }

        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }

        EndSandboxProcesses();
        Directory.Delete(SandboxRoot, recursive: true);
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>
    /// Kills every process a local sandbox of this environment still runs (an idle run's OpenCode outlives the self-host
    /// that started it, by design). Called when a test's or a class's hosts are gone, so idle agents never pile up and
    /// slow the rest of the suite; and at the end, so none outlives it. Only records that still name the process they
    /// recorded (start time) and a group leader other than this process.
    /// </summary>
    public void EndSandboxProcesses()
    {
        string states = Path.Combine(SandboxRoot, SandboxInspector.StateFolder);
        IEnumerable<int> pids = Directory.Exists(states) ? Directory.EnumerateDirectories(states).SelectMany(SandboxInspector.RecordedProcesses) : [];
        foreach (int pid in pids.Where(p => p != System.Environment.ProcessId && SandboxInspector.Stat(p)?.Group == p))
        {
            using Process? kill = Process.Start("kill", ["-s", "KILL", "--", "-" + pid.ToString(CultureInfo.InvariantCulture)]);
            kill?.WaitForExit();
        }
    }

    /// <param name="namePrefix">Storage names of its own (default: the suite's), e.g. for a test that compares storage snapshots.</param>
    public Dictionary<string, string> Environment(string backend = "azurestorage", string? taskHub = null, string? namePrefix = null) => new()
    {
        ["CodingAgent__Storage__ConnectionString"] = StorageConnectionString,
        ["CodingAgent__Storage__NamePrefix"] = namePrefix ?? NamePrefix,
        ["CodingAgent__Durable__Backend"] = backend,
        ["CodingAgent__Durable__TaskHub"] = taskHub ?? "hub" + RandomNumberGenerator.GetHexString(8, lowercase: true),
        // Every host consumes a command queue of its own, so no host takes another test's queue messages.
        ["CodingAgent__Queue__Name"] = "commands-" + RandomNumberGenerator.GetHexString(8, lowercase: true),
        ["CodingAgent__Sandbox__Local__Root"] = SandboxRoot,
        ["CodingAgent__Agent__OpenCodePath"] = RepoRoot.OpenCode,
        ["CodingAgent__Model__BaseUrl"] = Model.BaseUrl.ToString().TrimEnd('/'),
        ["CodingAgent__Repositories__AllowLocalPaths"] = "true",
        ["CodingAgent__Sandbox__Local__AcknowledgeSingleUser"] = "true",
        ["CodingAgent__Secrets__EncryptionKey"] = EncryptionKey,
        ["CODING_AGENT_DATA_DIR"] = DataDirectory,
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
    };

    /// <summary>
    /// A key of <paramref name="account"/> with every scope, created once per suite (each creation starts the command-line
    /// entry, about a second): for tests that only need to be let in. A test that revokes keys creates its own.
    /// </summary>
    public Task<string> SharedKeyAsync(string account) => sharedKeys.GetOrAdd(account, a => CreateKeyAsync(a));

    /// <summary>Creates a key through the project's command-line entry, exactly as the README does.</summary>
    public async Task<string> CreateKeyAsync(string account, string scopes = "read:builder,write:builder", string? namePrefix = null) =>
        (await KeysInAsync(namePrefix, "create", "--account", account, "--scopes", scopes)).Trim();

    /// <summary>Lets <paramref name="account"/> run on remote repositories matching <paramref name="pattern"/>, as <c>scripts/accounts allow</c> does.</summary>
    public Task<string> AllowRepositoryAsync(string account, string pattern, string? namePrefix = null) =>
        CommandInAsync(namePrefix, "accounts", "allow", "--account", account, "--repository", pattern);

    /// <summary>Runs <c>keys …</c> of the self-host's command-line entry against this environment's storage; returns its output.</summary>
    public Task<string> KeysAsync(params string[] arguments) => KeysInAsync(null, arguments);

    /// <summary>The command-line entry's <c>accounts</c> verb, exactly as <c>scripts/accounts</c> runs it.</summary>
    public Task<string> AccountsAsync(params string[] arguments) => CommandInAsync(null, ["accounts", .. arguments]);

    /// <summary>As <see cref="KeysAsync"/>, against the storage names of <paramref name="namePrefix"/> (null: the suite's).</summary>
    public Task<string> KeysInAsync(string? namePrefix, params string[] arguments) => CommandInAsync(namePrefix, ["keys", .. arguments]);

    private async Task<string> CommandInAsync(string? namePrefix, params string[] arguments)
    {
        ProcessStartInfo info = new("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(RepoRoot.SelfHostDll);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in Environment(namePrefix: namePrefix))
        {
            info.Environment[key] = value;
        }

        using Process process = Process.Start(info)!;
        string stdout = await process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr}");
        }

        return stdout;
    }
}
