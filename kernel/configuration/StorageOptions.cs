namespace CodingAgent.Configuration;

/// <summary>
/// The product's storage. A connection string, or identity-based settings named as the Functions host names them for a
/// connection (<c>accountName</c> or <c>blobServiceUri</c>/<c>queueServiceUri</c>/<c>tableServiceUri</c>, <c>credential</c>,
/// <c>clientId</c>) under <c>CodingAgent:Storage</c>; those win over the connection string.
/// </summary>
public sealed class StorageOptions
{
    public const string ManagedIdentityCredential = "managedidentity";

    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>Shorthand for the three service URIs of a public-cloud account (<c>https://{name}.{service}.core.windows.net</c>).</summary>
    public string? AccountName { get; set; }

    public Uri? BlobServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    public Uri? TableServiceUri { get; set; }

    /// <summary><c>managedidentity</c>: the app's managed identity (with <see cref="ClientId"/>, a user-assigned one); empty: the developer's Azure login.</summary>
    public string? Credential { get; set; }

    public string? ClientId { get; set; }

    /// <summary>Lower-case letters and digits put in front of every table and container name (tests isolate themselves with it).</summary>
    public string NamePrefix { get; set; } = string.Empty;

    public bool UsesIdentity => !string.IsNullOrEmpty(AccountName) || BlobServiceUri is not null || QueueServiceUri is not null || TableServiceUri is not null;

    /// <summary>The account's name, from <see cref="AccountName"/> or the host of a service URI.</summary>
    public string? IdentityAccountName => !string.IsNullOrEmpty(AccountName) ? AccountName
        : (BlobServiceUri ?? TableServiceUri ?? QueueServiceUri)?.Host.Split('.')[0];

    public Uri ServiceUri(string service) => service switch
    {
        "blob" when BlobServiceUri is not null => BlobServiceUri,
        "queue" when QueueServiceUri is not null => QueueServiceUri,
        "table" when TableServiceUri is not null => TableServiceUri,
        _ when !string.IsNullOrEmpty(AccountName) => new Uri($"https://{AccountName}.{service}.core.windows.net"),
        _ => throw new InvalidOperationException($"CodingAgent:Storage:{service}ServiceUri (or AccountName) is not set."),
    };
}
