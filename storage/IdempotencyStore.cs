using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using CodingAgent.Model;

namespace CodingAgent.Storage;

/// <summary>
/// Idempotency keys in the <c>idempotency</c> table: partition = account, row = SHA-256 of the key (keys may hold
/// characters row keys cannot). The body of an answer is split over several properties because one string property
/// holds at most 32K characters.
/// </summary>
public sealed class IdempotencyStore(StorageClients clients)
{
    private const int ChunkLength = 30_000;

    public async Task<IdempotencyRecord?> GetAsync(string account, string key, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Idempotency, cancellationToken).ConfigureAwait(false);
        NullableResponse<TableEntity> response = await table.GetEntityIfExistsAsync<TableEntity>(account, RowKey(key), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    /// <summary>Reserves the key for a request; false when another request holds it already.</summary>
    public async Task<bool> TryReserveAsync(string account, string key, string fingerprint, DateTimeOffset at, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Idempotency, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(Reservation(account, key, fingerprint, at), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Takes over a reservation whose request died before answering; false when someone else was faster.</summary>
    public async Task<bool> TryTakeOverAsync(string account, string key, IdempotencyRecord stale, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stale);
        TableClient table = await clients.TableAsync(StorageNames.Idempotency, cancellationToken).ConfigureAwait(false);
        try
        {
            TableEntity takeover = Reservation(account, key, stale.Fingerprint, at);
            takeover["Intent"] = stale.Intent;
            await table.UpdateEntityAsync(takeover, new ETag(stale.ETag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    public async Task CompleteAsync(string account, string key, string fingerprint, DateTimeOffset reservedAt, StoredAnswer answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        TableClient table = await clients.TableAsync(StorageNames.Idempotency, cancellationToken).ConfigureAwait(false);
        TableEntity entity = Reservation(account, key, fingerprint, reservedAt);
        entity["Status"] = answer.Status;
        entity["Location"] = answer.Location;
        entity["RetryAfter"] = answer.RetryAfter;
        int chunks = (answer.Body.Length + ChunkLength - 1) / ChunkLength;
        entity["BodyChunks"] = chunks;
        for (int i = 0; i < chunks; i++)
        {
            entity[ChunkName(i)] = answer.Body.Substring(i * ChunkLength, Math.Min(ChunkLength, answer.Body.Length - (i * ChunkLength)));
        }

        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Keeps the request's intent on its reservation (this request holds the key, so a plain merge is safe).</summary>
    public async Task SetIntentAsync(string account, string key, string intent, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Idempotency, cancellationToken).ConfigureAwait(false);
        TableEntity entity = new(account, RowKey(key)) { ["Intent"] = intent };
        await table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Frees the key after a request that did not succeed, so the client may retry with it.</summary>
    public async Task ReleaseAsync(string account, string key, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.Idempotency, cancellationToken).ConfigureAwait(false);
        await table.DeleteEntityAsync(account, RowKey(key), ETag.All, cancellationToken).ConfigureAwait(false);
    }

    private static TableEntity Reservation(string account, string key, string fingerprint, DateTimeOffset at) => new(account, RowKey(key))
    {
        ["Fingerprint"] = fingerprint,
        ["ReservedAt"] = at,
    };

    private static IdempotencyRecord FromEntity(TableEntity entity)
    {
        StoredAnswer? answer = null;
        if (entity.GetInt32("Status") is { } status)
        {
            int chunks = entity.GetInt32("BodyChunks") ?? 0;
            StringBuilder body = new();
            for (int i = 0; i < chunks; i++)
            {
                body.Append(entity.GetString(ChunkName(i)));
            }

            answer = new StoredAnswer(status, entity.GetString("Location"), entity.GetString("RetryAfter"), body.ToString());
        }

        return new IdempotencyRecord(
            entity.GetString("Fingerprint") ?? string.Empty,
            entity.GetDateTimeOffset("ReservedAt") ?? DateTimeOffset.MinValue,
            answer,
            entity.ETag.ToString(),
            entity.GetString("Intent"));
    }

    private static string ChunkName(int index) => "Body" + index.ToString(CultureInfo.InvariantCulture);

    private static string RowKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
