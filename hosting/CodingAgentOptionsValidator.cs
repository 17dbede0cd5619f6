using CodingAgent.Configuration;
using Microsoft.Extensions.Options;

namespace CodingAgent.Hosting;

/// <summary>
/// Settings the host must refuse to start with: anything that would put the trust boundary (the sandbox) on this machine
/// or leave secrets without a configured key where many tenants share the host. Checked at start (<c>ValidateOnStart</c>).
/// </summary>
public sealed class CodingAgentOptionsValidator(HostProfile host, string? hostJsonPath = null) : IValidateOptions<CodingAgentOptions>
{
    public ValidateOptionsResult Validate(string? name, CodingAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];
        string provider = options.Sandbox.Provider ?? host.DefaultSandboxProvider;
        if (host.MultiTenant)
        {
            if (provider is SandboxOptions.LocalProvider or SandboxOptions.BenchmarkProvider)
            {
                failures.Add($"CodingAgent:Sandbox:Provider '{provider}' runs the agent on the {host.Name} host itself; only 'e2b' isolates tenants there.");
            }

            if (options.Repositories.AllowLocalPaths)
            {
                failures.Add($"CodingAgent:Repositories:AllowLocalPaths would let any caller clone this machine's folders; it is refused on the {host.Name} host.");
            }

            if (string.IsNullOrWhiteSpace(options.Secrets.EncryptionKey))
            {
                failures.Add($"CodingAgent:Secrets:EncryptionKey is required on the {host.Name} host (a Key Vault reference; there is no key-file fallback).");
            }

            if (hostJsonPath is not null && HostJson.FunctionTimeout(hostJsonPath) is { } functionTimeout && ActivityBudget.Longest(options) > functionTimeout)
            {
                failures.Add($"An activity may run {ActivityBudget.Longest(options)} with these settings (turn, validation and push timeouts), longer than "
                    + $"host.json's functionTimeout {functionTimeout}: raise functionTimeout or lower the timeouts.");
            }
        }
        else if (host.RunsAgents && provider == SandboxOptions.LocalProvider && !options.Sandbox.Local.AcknowledgeSingleUser)
        {
            failures.Add("The local sandbox provider runs the agent as this machine's user, next to the control plane: it is not a boundary between "
                + "tenants. Set CodingAgent__Sandbox__Local__AcknowledgeSingleUser=true to run it for yourself (scripts/start does), or use 'e2b'.");
        }

        failures.AddRange(UnresolvedKeyVaultReferences(options));
        if (!TelemetryOptions.Exporters.Contains(options.Telemetry.Exporter))
        {
            failures.Add($"CodingAgent:Telemetry:Exporter '{options.Telemetry.Exporter}' is not one of {string.Join(", ", TelemetryOptions.Exporters)}.");
        }

        if (provider is not (SandboxOptions.LocalProvider or SandboxOptions.E2BProvider or SandboxOptions.BenchmarkProvider))
        {
            failures.Add($"CodingAgent:Sandbox:Provider '{provider}' is not 'local', 'e2b' or (benchmarks only, self-host) 'benchmark'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // App Service leaves a Key Vault reference it cannot resolve (no such secret, no access) as the literal text; used as a
    // key it would fail later and far from the cause. Only the setting's name is reported, never a value.
    private static IEnumerable<string> UnresolvedKeyVaultReferences(CodingAgentOptions options)
    {
        (string Name, string? Value)[] secrets =
        [
            ("CodingAgent:Sandbox:E2B:ApiKey", options.Sandbox.E2B.ApiKey),
            ("CodingAgent:Model:ApiKey", options.Model.ApiKey),
            ("CodingAgent:Secrets:EncryptionKey", options.Secrets.EncryptionKey),
            ("CodingAgent:GitHub:AppPrivateKey", options.GitHub.AppPrivateKey),
            ("CodingAgent:GitHub:Token", options.GitHub.Token),
        ];
        return secrets.Where(s => s.Value?.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase) == true)
            .Select(s => $"{s.Name} is an unresolved Key Vault reference: the secret is missing or the app's identity may not read it (docs/deploy.md).");
    }
}
