using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace CodingAgent.Tests.Support;

/// <summary>Where a secret shows up in storage: every product table and container, and the task hub's history, instances and large messages.</summary>
public static class StoredSecrets
{
    public static async Task<IReadOnlyList<string>> PlacesOfAsync(string connectionString, string namePrefix, string taskHub, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        List<string> places = [];
        TableServiceClient tables = new(connectionString);
        await foreach (TableItem table in tables.QueryAsync())
        {
            if (!table.Name.StartsWith(namePrefix, StringComparison.Ordinal) && !table.Name.StartsWith(taskHub, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            await foreach (TableEntity entity in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                foreach ((string key, object value) in entity)
                {
                    if (value is string text && text.Contains(secret, StringComparison.Ordinal))
                    {
                        places.Add($"table {table.Name} {entity.PartitionKey}/{entity.RowKey} {key}");
                    }
                }
            }
        }

        BlobServiceClient blobs = new(connectionString);
        await foreach (BlobContainerItem container in blobs.GetBlobContainersAsync())
        {
            if (!container.Name.StartsWith(namePrefix, StringComparison.Ordinal) && !container.Name.StartsWith(taskHub, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            BlobContainerClient client = blobs.GetBlobContainerClient(container.Name);
            await foreach (BlobItem blob in client.GetBlobsAsync())
            {
                string content = (await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString();
                if (content.Contains(secret, StringComparison.Ordinal))
                {
                    places.Add($"blob {container.Name}/{blob.Name}");
                }
            }
        }

        return places;
    }
}
