using System.Globalization;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace CodingAgent.Tests.Support;

/// <summary>
/// Everything a request could have changed, read straight from Azurite, as sorted lines that compare as a whole:
/// <list type="bullet">
/// <item>every table whose name starts with the storage prefix (runs, turns, events, keys, secrets, idempotency): each
/// entity's partition, row and properties except <c>Timestamp</c> and the ETag;</item>
/// <item>every blob container with the prefix (prompts, patches): blob names and SHA-256 of their content;</item>
/// <item>the task hub's <c>Instances</c> table, but only which orchestrations exist and their name, runtime status and
/// creation time. The rest of the task hub (history, queues, leases) belongs to the engine, which renews leases and
/// polls queues all the time; an event raised at a run is always preceded by a product-table write (a turn or the
/// end request), so the product tables cover it.</item>
/// </list>
/// </summary>
public sealed class StorageSnapshot
{
    private static readonly string[] InstanceColumns = ["Name", "RuntimeStatus", "CreatedTime"];

    private StorageSnapshot(IReadOnlyList<string> lines) => Lines = lines;

    public IReadOnlyList<string> Lines { get; }

    public static async Task<StorageSnapshot> TakeAsync(string connectionString, string namePrefix, string taskHub)
    {
        TableServiceClient tables = new(connectionString);
        BlobServiceClient blobs = new(connectionString);
        List<string> lines = [];
        await foreach (TableItem table in tables.QueryAsync())
        {
            if (table.Name.StartsWith(namePrefix, StringComparison.Ordinal))
            {
                lines.Add($"table {table.Name}");
                await AddEntitiesAsync(lines, tables.GetTableClient(table.Name), columns: null);
            }
        }

        await foreach (BlobContainerItem container in blobs.GetBlobContainersAsync(prefix: namePrefix))
        {
            lines.Add($"container {container.Name}");
            await AddBlobsAsync(lines, blobs.GetBlobContainerClient(container.Name));
        }

        await AddEntitiesAsync(lines, tables.GetTableClient(taskHub + "Instances"), InstanceColumns);
        lines.Sort(StringComparer.Ordinal);
        return new StorageSnapshot(lines);
    }

    /// <summary>The lines only one side has, marked <c>-</c> (gone) and <c>+</c> (new); empty when both are equal.</summary>
    public IReadOnlyList<string> DifferencesTo(StorageSnapshot after)
    {
        ArgumentNullException.ThrowIfNull(after);
        return [.. Lines.Except(after.Lines, StringComparer.Ordinal).Select(l => "- " + l),
            .. after.Lines.Except(Lines, StringComparer.Ordinal).Select(l => "+ " + l)];
    }

    private static async Task AddEntitiesAsync(List<string> lines, TableClient table, IReadOnlyCollection<string>? columns)
    {
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>())
        {
            IEnumerable<string> properties = entity.Keys
                .Where(k => k is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag") && (columns is null || columns.Contains(k)))
                .Order(StringComparer.Ordinal)
                .Select(k => $"{k}={Format(entity[k])}");
            lines.Add($"{table.Name} | {entity.PartitionKey} | {entity.RowKey} | {string.Join("; ", properties)}");
        }
    }

    private static async Task AddBlobsAsync(List<string> lines, BlobContainerClient container)
    {
        await foreach (BlobItem blob in container.GetBlobsAsync())
        {
            await using Stream content = await container.GetBlobClient(blob.Name).OpenReadAsync();
            byte[] hash = await SHA256.HashDataAsync(content);
            lines.Add($"{container.Name} | {blob.Name} | sha256={Convert.ToHexStringLower(hash)}");
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        byte[] bytes => Convert.ToBase64String(bytes),
        DateTimeOffset at => at.ToString("O", CultureInfo.InvariantCulture),
        DateTime at => at.ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
