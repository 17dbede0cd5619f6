using System.Text;
using Azure.Storage.Blobs;

namespace CodingAgent.Storage;

/// <summary>Prompt texts (up to 120,000 characters) as blobs <c>{runId}/{turn}.txt</c> (and an inherited context as <c>{runId}/context.txt</c>), so orchestration input carries only turn numbers.</summary>
public sealed class PromptStore(StorageClients clients)
{
    public async Task PutAsync(string runId, int turn, string prompt, CancellationToken cancellationToken)
    {
        BlobContainerClient container = await clients.ContainerAsync(StorageNames.Prompts, cancellationToken).ConfigureAwait(false);
        await container.GetBlobClient(BlobName(runId, turn))
            .UploadAsync(BinaryData.FromString(prompt), overwrite: true, cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<string> GetAsync(string runId, int turn, CancellationToken cancellationToken)
    {
        BlobContainerClient container = await clients.ContainerAsync(StorageNames.Prompts, cancellationToken).ConfigureAwait(false);
        Azure.Response<Azure.Storage.Blobs.Models.BlobDownloadResult> result = await container.GetBlobClient(BlobName(runId, turn))
            .DownloadContentAsync(cancellationToken)
            .ConfigureAwait(false);
        return Encoding.UTF8.GetString(result.Value.Content.ToMemory().Span);
    }

    /// <summary>The conversation a continuing run inherited; it precedes the first prompt in the agent's task.</summary>
    public async Task PutContextAsync(string runId, string context, CancellationToken cancellationToken)
    {
        BlobContainerClient container = await clients.ContainerAsync(StorageNames.Prompts, cancellationToken).ConfigureAwait(false);
        await container.GetBlobClient(ContextBlobName(runId)).UploadAsync(BinaryData.FromString(context), overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> GetContextAsync(string runId, CancellationToken cancellationToken)
    {
        BlobContainerClient container = await clients.ContainerAsync(StorageNames.Prompts, cancellationToken).ConfigureAwait(false);
        try
        {
            Azure.Response<Azure.Storage.Blobs.Models.BlobDownloadResult> result = await container.GetBlobClient(ContextBlobName(runId))
                .DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return Encoding.UTF8.GetString(result.Value.Content.ToMemory().Span);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private static string ContextBlobName(string runId) => $"{runId}/context.txt";

    private static string BlobName(string runId, int turn) => $"{runId}/{StorageNames.TurnKey(turn)}.txt";
}
