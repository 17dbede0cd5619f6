using System.Diagnostics;
using System.Security.Cryptography;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Hosting;

/// <summary>
/// The built Functions app starts the way the worker starts it (its own Program, `check-startup`: the host built, options
/// validated, the product's services resolved, every function class activated from the container) with the settings
/// infra/main.bicep writes — identity-based storage, Azure Monitor telemetry, E2B — and refuses what it must refuse.
/// </summary>
public sealed class FunctionsStartupTests
{
    private static Dictionary<string, string> AzureSettings() => new()
    {
        ["AzureWebJobsStorage__credential"] = "managedidentity",
        ["AzureWebJobsStorage__clientId"] = "00000000-0000-0000-0000-000000000001",
        ["AzureWebJobsStorage__queueServiceUri"] = "https://stexample.queue.core.windows.net/",
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000002",
        ["CodingAgent__Storage__credential"] = "managedidentity",
        ["CodingAgent__Storage__clientId"] = "00000000-0000-0000-0000-000000000001",
        ["CodingAgent__Storage__blobServiceUri"] = "https://stexample.blob.core.windows.net/",
        ["CodingAgent__Storage__queueServiceUri"] = "https://stexample.queue.core.windows.net/",
        ["CodingAgent__Storage__tableServiceUri"] = "https://stexample.table.core.windows.net/",
        ["CodingAgent__Durable__TaskHub"] = "codingagent",
        ["CodingAgent__Queue__Name"] = "coding-agent-commands",
        ["CodingAgent__Sandbox__Provider"] = "e2b",
        ["CodingAgent__Sandbox__E2B__ApiKey"] = "e2b_" + RandomNumberGenerator.GetHexString(20, lowercase: true),
        ["CodingAgent__Model__ApiKey"] = "sk-" + RandomNumberGenerator.GetHexString(20, lowercase: true),
        ["CodingAgent__Secrets__EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["CodingAgent__GitHub__AppId"] = string.Empty,
        ["CodingAgent__GitHub__AppPrivateKey"] = string.Empty,
        ["CodingAgent__Telemetry__Exporter"] = "azuremonitor",
        ["CodingAgent__Telemetry__ManagedIdentityClientId"] = "00000000-0000-0000-0000-000000000001",
    };

    [Fact]
    public async Task WithTheDeployedSettings_TheAppBuildsValidatesAndActivatesEveryFunction()
    {
        (int exitCode, string output) = await CheckStartupAsync(AzureSettings());

        Assert.True(exitCode == 0, output);
        Assert.Matches("startup check passed: options valid, [1-9][0-9]* services resolved, [1-9][0-9]* function classes", output);
    }

    [Fact]
    public async Task AnUnresolvedKeyVaultReference_StopsTheStart_NamingTheSetting()
    {
        Dictionary<string, string> settings = AzureSettings();
        settings["CodingAgent__Secrets__EncryptionKey"] = "@Microsoft.KeyVault(SecretUri=https://kv-example.vault.azure.net/secrets/secret-encryption-key/)";

        (int exitCode, string output) = await CheckStartupAsync(settings);

        Assert.Equal(1, exitCode);
        Assert.Contains("CodingAgent:Secrets:EncryptionKey is an unresolved Key Vault reference", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLocalSandboxProvider_StopsTheStart()
    {
        Dictionary<string, string> settings = AzureSettings();
        settings["CodingAgent__Sandbox__Provider"] = "local";

        (int exitCode, string output) = await CheckStartupAsync(settings);

        Assert.Equal(1, exitCode);
        Assert.Contains("'local'", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> CheckStartupAsync(IReadOnlyDictionary<string, string> settings)
    {
        string dll = Directory.EnumerateFiles(Path.Combine(RepoRoot.Path, "bin"), "CodingAgent.Functions.dll", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc).First();
        ProcessStartInfo start = new("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { dll, "check-startup" },
        };
        foreach (string inherited in start.Environment.Keys.Where(k => k.StartsWith("CodingAgent__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        foreach ((string key, string value) in settings)
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
