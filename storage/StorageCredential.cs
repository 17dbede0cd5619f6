using Azure.Core;
using Azure.Identity;
using CodingAgent.Configuration;

namespace CodingAgent.Storage;

/// <summary>
/// The Entra credential for identity-based storage: the app's managed identity in Azure (<c>credential=managedidentity</c>,
/// user-assigned with <c>clientId</c>); on a developer's machine — the key and account commands against a deployed
/// account — whatever <c>az login</c> / <c>azd auth login</c> left.
/// </summary>
public static class StorageCredential
{
    public static TokenCredential For(StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (string.Equals(storage.Credential, StorageOptions.ManagedIdentityCredential, StringComparison.OrdinalIgnoreCase))
        {
            return string.IsNullOrEmpty(storage.ClientId)
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(storage.ClientId));
        }

        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ExcludeInteractiveBrowserCredential = true });
    }
}
