using Azure.Core;
using Azure.Identity;
using CodingAgent.Configuration;

namespace CodingAgent.Storage;

/// <summary>
/// The Entra credential for identity-based storage: the app's user-assigned identity in Azure; on a developer's machine
/// (the key and account commands against a deployed account) whatever <c>az login</c> / <c>azd auth login</c> left.
/// </summary>
public static class StorageCredential
{
    public static TokenCredential For(StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return string.IsNullOrEmpty(storage.ManagedIdentityClientId)
            ? new DefaultAzureCredential(new DefaultAzureCredentialOptions { ExcludeInteractiveBrowserCredential = true })
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(storage.ManagedIdentityClientId));
    }
}
