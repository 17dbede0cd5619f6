using System.Collections.Concurrent;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using CodingAgent.Configuration;
using Microsoft.Extensions.Options;

namespace CodingAgent.Storage;

/// <summary>Table, blob and queue clients for the product's storage, created once and made to exist on first use.</summary>
public sealed class StorageClients
{
    private readonly TableServiceClient tables;
    private readonly BlobServiceClient blobs;
    private readonly QueueServiceClient queues;
    private readonly string prefix;
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> tableCache = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<BlobContainerClient>>> containerCache = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<QueueClient>>> queueCache = new();

    public StorageClients(IOptions<StorageOptions> options)
    {
        StorageOptions storage = options.Value;
        if (storage.NamePrefix.Any(c => !char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c)))
        {
            throw new InvalidOperationException("CodingAgent:Storage:NamePrefix may hold only lower-case letters and digits.");
        }

        prefix = storage.NamePrefix;
        // Base64, as the Functions queue trigger expects by default.
        QueueClientOptions queueOptions = new() { MessageEncoding = QueueMessageEncoding.Base64 };
        if (storage.UsesIdentity)
        {
            TokenCredential credential = StorageCredential.For(storage);
            tables = new TableServiceClient(storage.ServiceUri("table"), credential);
            blobs = new BlobServiceClient(storage.ServiceUri("blob"), credential);
            queues = new QueueServiceClient(storage.ServiceUri("queue"), credential, queueOptions);
        }
        else
        {
            tables = new TableServiceClient(storage.ConnectionString);
            blobs = new BlobServiceClient(storage.ConnectionString);
            queues = new QueueServiceClient(storage.ConnectionString, queueOptions);
        }
    }

    public Task<TableClient> TableAsync(string name, CancellationToken cancellationToken) =>
        GetOrCreateAsync(tableCache, name, CreateTableAsync, cancellationToken);

    /// <summary>A table's client without creating the table: for reads that must change nothing (a missing table answers 404).</summary>
    public TableClient TableIfExists(string name) => tables.GetTableClient(prefix + name);

    public Task<BlobContainerClient> ContainerAsync(string name, CancellationToken cancellationToken) =>
        GetOrCreateAsync(containerCache, name, CreateContainerAsync, cancellationToken);

    /// <summary>A queue by its full name (queues are named by configuration or by a caller's <c>replyTo</c>, so no prefix).</summary>
    public Task<QueueClient> QueueAsync(string name, CancellationToken cancellationToken) =>
        GetOrCreateAsync(queueCache, name, CreateQueueAsync, cancellationToken);

    // A failed creation (storage not up yet) is forgotten so the next call tries again.
    private static async Task<T> GetOrCreateAsync<T>(
        ConcurrentDictionary<string, Lazy<Task<T>>> cache, string name, Func<string, Task<T>> create, CancellationToken cancellationToken)
    {
        Lazy<Task<T>> entry = cache.GetOrAdd(name, n => new Lazy<Task<T>>(() => create(n)));
        try
        {
            return await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (entry.Value.IsFaulted)
        {
            cache.TryRemove(KeyValuePair.Create(name, entry));
            throw;
        }
    }

    private async Task<TableClient> CreateTableAsync(string name)
    {
        TableClient client = tables.GetTableClient(prefix + name);
        await client.CreateIfNotExistsAsync().ConfigureAwait(false);
        return client;
    }

    private async Task<QueueClient> CreateQueueAsync(string name)
    {
        QueueClient client = queues.GetQueueClient(name);
        await client.CreateIfNotExistsAsync().ConfigureAwait(false);
        return client;
    }

    private async Task<BlobContainerClient> CreateContainerAsync(string name)
    {
        BlobContainerClient client = blobs.GetBlobContainerClient(prefix + name);
        await client.CreateIfNotExistsAsync().ConfigureAwait(false);
        return client;
    }
}
