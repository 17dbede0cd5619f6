using CodingAgent.Hosting;
using CodingAgent.Configuration;
using CodingAgent.Tests.Support;
using Microsoft.Extensions.Options;

namespace CodingAgent.Tests.Unit.Hosting;

/// <summary>What each host refuses to start with (the trust boundary, items 4 and 9).</summary>
public sealed class HostSafetyTests
{
    private static readonly string HostJsonPath = Path.Combine(RepoRoot.Path, "host.json");

    private static CodingAgentOptions AzureReady() => new()
    {
        Sandbox = new SandboxOptions { Provider = SandboxOptions.E2BProvider },
        Secrets = new SecretOptions { EncryptionKey = Convert.ToBase64String(new byte[32]) },
    };

    private static ValidateOptionsResult OnFunctions(CodingAgentOptions options) =>
        new CodingAgentOptionsValidator(HostProfile.Functions, HostJsonPath).Validate(null, options);

    [Fact]
    public void Functions_E2BWithAKey_Starts() => Assert.True(OnFunctions(AzureReady()).Succeeded, OnFunctions(AzureReady()).FailureMessage);

    [Theory]
    [InlineData(SandboxOptions.LocalProvider)]
    [InlineData(SandboxOptions.BenchmarkProvider)]
    public void Functions_SandboxOnTheHostItself_IsRefused(string provider)
    {
        CodingAgentOptions options = AzureReady();
        options.Sandbox.Provider = provider;

        ValidateOptionsResult result = OnFunctions(options);

        Assert.True(result.Failed);
        Assert.Contains(provider, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Functions_LocalPathsAllowed_IsRefused()
    {
        CodingAgentOptions options = AzureReady();
        options.Repositories.AllowLocalPaths = true;

        Assert.Contains("AllowLocalPaths", OnFunctions(options).FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Functions_NoEncryptionKey_IsRefusedWithoutAKeyFileFallback()
    {
        CodingAgentOptions options = AzureReady();
        options.Secrets.EncryptionKey = null;

        Assert.Contains("EncryptionKey", OnFunctions(options).FailureMessage, StringComparison.Ordinal);
    }

    // App Service leaves a reference it cannot resolve as its literal text: refused at start, naming the setting, not the value.
    [Fact]
    public void Functions_UnresolvedKeyVaultReference_IsRefusedByName()
    {
        CodingAgentOptions options = AzureReady();
        options.Sandbox.E2B.ApiKey = "@Microsoft.KeyVault(SecretUri=https://kv-x.vault.azure.net/secrets/e2b-api-key/)";

        ValidateOptionsResult result = OnFunctions(options);

        Assert.Contains("CodingAgent:Sandbox:E2B:ApiKey is an unresolved Key Vault reference", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("kv-x", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTelemetryExporter_IsRefused()
    {
        CodingAgentOptions options = AzureReady();
        options.Telemetry.Exporter = "jaeger";

        Assert.Contains("CodingAgent:Telemetry:Exporter 'jaeger'", OnFunctions(options).FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void SelfHost_LocalWithoutAcknowledgement_IsRefused_WithItStarts()
    {
        CodingAgentOptions options = new() { Sandbox = new SandboxOptions { Provider = SandboxOptions.LocalProvider } };
        CodingAgentOptionsValidator selfHost = new(HostProfile.SelfHost);

        Assert.Contains("AcknowledgeSingleUser", selfHost.Validate(null, options).FailureMessage, StringComparison.Ordinal);
        options.Sandbox.Local.AcknowledgeSingleUser = true;
        Assert.True(selfHost.Validate(null, options).Succeeded);
        Assert.True(new CodingAgentOptionsValidator(HostProfile.CommandLine).Validate(null, new CodingAgentOptions()).Succeeded);
    }

    [Fact]
    public void HostJson_FunctionTimeout_CoversTheLongestActivityOfTheDefaults()
    {
        TimeSpan functionTimeout = HostJson.FunctionTimeout(HostJsonPath) ?? throw new InvalidOperationException("host.json sets no functionTimeout");
        CodingAgentOptions defaults = new();

        // The arithmetic itself: validation runs the command twice (turn, then the base commit) at its longest allowed timeout.
        Assert.Equal(TimeSpan.FromSeconds((2 * defaults.Validation.MaxTimeoutSeconds) + 60) + TimeSpan.FromMinutes(4 + 5), ActivityBudget.Validate(defaults));
        Assert.Equal(TimeSpan.FromSeconds(defaults.Agent.TurnTimeoutSeconds) + TimeSpan.FromMinutes(6 + 5), ActivityBudget.Turn(defaults));
        Assert.True(ActivityBudget.Longest(defaults) <= functionTimeout,
            $"the longest activity ({ActivityBudget.Longest(defaults)}) outlives host.json's functionTimeout ({functionTimeout})");
    }

    [Fact]
    public void Functions_TimeoutsBeyondFunctionTimeout_AreRefused()
    {
        CodingAgentOptions options = AzureReady();
        options.Agent.TurnTimeoutSeconds = (int)TimeSpan.FromHours(4).TotalSeconds;

        Assert.Contains("functionTimeout", OnFunctions(options).FailureMessage, StringComparison.Ordinal);
    }
}
