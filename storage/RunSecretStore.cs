using Azure;
using Azure.Data.Tables;

namespace CodingAgent.Storage;

/// <summary>Per-run secrets (e.g. the OpenCode server password), encrypted, in the <c>runsecrets</c> table; deleted when the run ends.</summary>
public sealed class RunSecretStore(StorageClients clients, SecretProtector protector)
{
    public const string AgentPassword = "agent-password";
    public const string GatewayToken = "gateway-token";

    public async Task PutAsync(string runId, string name, string value, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.RunSecrets, cancellationToken).ConfigureAwait(false);
        TableEntity entity = new(runId, name) { ["Value"] = protector.Protect(value) };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> GetAsync(string runId, string name, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.RunSecrets, cancellationToken).ConfigureAwait(false);
        NullableResponse<TableEntity> response = await table
            .GetEntityIfExistsAsync<TableEntity>(runId, name, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return response.HasValue && response.Value!.GetString("Value") is { } value ? protector.Unprotect(value) : null;
    }

    public async Task DeleteAllAsync(string runId, CancellationToken cancellationToken)
    {
        TableClient table = await clients.TableAsync(StorageNames.RunSecrets, cancellationToken).ConfigureAwait(false);
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == runId, select: ["PartitionKey", "RowKey"],
            cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
        }
    }
}
