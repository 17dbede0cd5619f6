using CodingAgent.Configuration;

namespace CodingAgent.Application;

/// <summary>
/// The <c>codingAgentDeployment</c> tag of this deployment's sandboxes: <c>CodingAgent:Sandbox:Deployment</c> when set,
/// otherwise derived from what both hosts of one deployment share and no other deployment can: its storage account, task
/// hub and storage name prefix. Two deployments left on defaults in one E2B team so never sweep each other's sandboxes.
/// </summary>
public static class SandboxDeploymentName
{
    private const string DevelopmentAccount = "devstoreaccount1";

    public static string Of(CodingAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Sandbox.Deployment is { Length: > 0 } configured ? configured : Derive(options);
    }

    /// <summary><c>{account}-{taskhub}[-{prefix}]</c>, lower case; never a key or signature, since every team member sees tags.</summary>
    public static string Derive(CodingAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string[] parts = [options.Storage.UsesIdentity ? options.Storage.IdentityAccountName! : AccountOf(options.Storage.ConnectionString), options.Durable.TaskHub, options.Storage.NamePrefix];
        return string.Join('-', parts.Select(Clean).Where(p => p.Length > 0));
    }

    private static string AccountOf(string connectionString)
    {
        Dictionary<string, string> settings = new(StringComparer.OrdinalIgnoreCase);
        foreach (string setting in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] pair = setting.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length == 2)
            {
                settings[pair[0]] = pair[1];
            }
        }

        if (settings.TryGetValue("AccountName", out string? account) && account.Length > 0)
        {
            return account;
        }

        if (settings.TryGetValue("UseDevelopmentStorage", out string? development) && bool.TryParse(development, out bool isDevelopment) && isDevelopment)
        {
            return DevelopmentAccount;
        }

        // A SAS connection string names only endpoints: https://{account}.blob.core.windows.net, or an emulator's
        // http://127.0.0.1:10000/{account}.
        foreach (string name in (string[])["BlobEndpoint", "TableEndpoint", "QueueEndpoint"])
        {
            if (settings.TryGetValue(name, out string? endpoint) && Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri))
            {
                string path = uri.AbsolutePath.Trim('/');
                return uri.HostNameType == UriHostNameType.Dns && !uri.IsLoopback ? uri.Host.Split('.')[0] : path.Length > 0 ? path.Split('/')[0] : uri.Authority;
            }
        }

        return string.Empty;
    }

    private static string Clean(string part) =>
        new([.. part.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
}
