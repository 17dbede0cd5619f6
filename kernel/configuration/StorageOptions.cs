namespace CodingAgent.Configuration;

public sealed class StorageOptions
{
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>
    /// Identity-based access (no key): the account's name. When set it wins over <see cref="ConnectionString"/>; the
    /// clients authenticate with <see cref="ManagedIdentityClientId"/>'s managed identity, or the developer's Azure login.
    /// </summary>
    public string? AccountName { get; set; }

    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The storage DNS suffix of the account's cloud (sovereign clouds differ).</summary>
    public string EndpointSuffix { get; set; } = "core.windows.net";

    /// <summary>Lower-case letters and digits put in front of every table and container name (tests isolate themselves with it).</summary>
    public string NamePrefix { get; set; } = string.Empty;

    public bool UsesIdentity => !string.IsNullOrEmpty(AccountName);

    public Uri ServiceUri(string service) => new($"https://{AccountName}.{service}.{EndpointSuffix}");
}
