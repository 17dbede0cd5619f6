using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace CodingAgent.Storage;

/// <summary>
/// The run's cumulative diff against its base commit as of its latest turn, in blob <c>{runId}.diff</c>: the patch stays
/// readable after the sandbox is gone, and reading it never touches the sandbox.
/// </summary>
public sealed class PatchStore(StorageClients clients)
{
    public async Task PutAsync(string runId, string patch, CancellationToken cancellationToken)
    {
        BlobContainerClient container = await clients.ContainerAsync(StorageNames.Patches, cancellationToken).ConfigureAwait(false);
        await container.GetBlobClient(BlobName(runId))
            .UploadAsync(BinaryData.FromString(patch), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/x-diff" } }, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The stored patch, or an empty one while no turn has finished.</summary>
    public async Task<string> GetAsync(string runId, CancellationToken cancellationToken)
    {
        BlobContainerClient container = await clients.ContainerAsync(StorageNames.Patches, cancellationToken).ConfigureAwait(false);
        try
        {
            Response<BlobDownloadResult> result = await container.GetBlobClient(BlobName(runId)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return Encoding.UTF8.GetString(result.Value.Content.ToMemory().Span);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return string.Empty;
        }
    }

    private static string BlobName(string runId) => runId + ".diff";
}
