using System.Diagnostics;
using System.Security.Cryptography;
using CodingAgent.Tests.Support;
using CodingAgent.Tests.Support.ScriptedModel;

namespace CodingAgent.Bench.Harness;

/// <summary>The real components every figure runs on: Azurite, the scripted model, a sandbox root, a storage prefix.</summary>
public sealed class BenchEnvironment : IAsyncDisposable
{
    private AzuriteServer? azurite;

    private BenchEnvironment()
    {
    }

    public string SandboxRoot { get; } = Directory.CreateTempSubdirectory("bench-sandboxes-").FullName;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("bench-data-").FullName;

    public string NamePrefix { get; } = "b" + RandomNumberGenerator.GetHexString(8, lowercase: true);

    public string EncryptionKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public ScriptedModelServer Model { get; private set; } = null!;

    public string StorageConnectionString => azurite!.ConnectionString;

    public static async Task<BenchEnvironment> StartAsync()
    {
        BenchEnvironment environment = new();
        // Nothing here needs to outlive the run, and Azurite's disk writes would be part of what we measure.
        environment.azurite = await AzuriteServer.StartAsync(inMemory: true);
        environment.Model = await ScriptedModelServer.StartAsync();
        return environment;
    }

    /// <param name="namePrefix">Storage names of their own (default: the shared prefix); on Azurite every table query scans the whole table, so a figure that fills tables wants fresh ones.</param>
    public Dictionary<string, string> Settings(string backend, string sandboxProvider = "local", string? namePrefix = null) => new()
    {
        ["CodingAgent__Storage__ConnectionString"] = StorageConnectionString,
        ["CodingAgent__Storage__NamePrefix"] = namePrefix ?? NamePrefix,
        ["CodingAgent__Durable__Backend"] = backend,
        ["CodingAgent__Durable__TaskHub"] = "bench" + RandomNumberGenerator.GetHexString(8, lowercase: true),
        ["CodingAgent__Queue__Name"] = "bench-commands-" + RandomNumberGenerator.GetHexString(8, lowercase: true),
        ["CodingAgent__Sandbox__Provider"] = sandboxProvider,
        ["CodingAgent__Sandbox__Local__AcknowledgeSingleUser"] = "true",
        ["CodingAgent__Sandbox__Local__Root"] = SandboxRoot,
        ["CodingAgent__Agent__OpenCodePath"] = RepoRoot.OpenCode,
        ["CodingAgent__Model__BaseUrl"] = Model.BaseUrl.ToString().TrimEnd('/'),
        ["CodingAgent__Repositories__AllowLocalPaths"] = "true",
        ["CodingAgent__Secrets__EncryptionKey"] = EncryptionKey,
        ["CodingAgent__Limits__RunCreationsPerMinute"] = "100000",
        ["CodingAgent__Limits__ActiveSessionsPerAccount"] = "100000",
        ["CODING_AGENT_DATA_DIR"] = DataDirectory,
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__CodingAgent.Activities.RunTurnActivity"] = "Information",
    };

    /// <summary>A key through the project's command-line entry.</summary>
    public async Task<string> CreateKeyAsync(string account, string? namePrefix = null)
    {
        ProcessStartInfo info = new("dotnet")
        {
            ArgumentList = { RepoRoot.SelfHostDll, "keys", "create", "--account", account, "--scopes", "read:builder,write:builder" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach ((string key, string value) in Settings("azurestorage", namePrefix: namePrefix))
        {
            info.Environment[key] = value;
        }

        using Process process = Process.Start(info)!;
        string created = await process.StandardOutput.ReadToEndAsync();
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? created.Trim() : throw new InvalidOperationException($"keys create failed: {error}");
    }

    public async ValueTask DisposeAsync()
    {
        await Model.DisposeAsync();
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }

        foreach (string pidFile in Directory.EnumerateFiles(SandboxRoot, "*.pid", SearchOption.AllDirectories))
        {
            using Process? kill = Process.Start("kill", ["-s", "KILL", "--", "-" + Path.GetFileNameWithoutExtension(pidFile)]);
            kill?.WaitForExit();
        }

        Directory.Delete(SandboxRoot, recursive: true);
        Directory.Delete(DataDirectory, recursive: true);
    }
}
