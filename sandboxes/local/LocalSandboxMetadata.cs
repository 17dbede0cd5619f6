using System.Text.Json;
using CodingAgent.Storage;

namespace CodingAgent.Sandboxes.Local;

internal sealed record LocalSandboxMetadata(
    string Id,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyDictionary<string, string> EnvVars)
{
    public static async Task<LocalSandboxMetadata> LoadAsync(string path, CancellationToken cancellationToken)
    {
        await using FileStream stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<LocalSandboxMetadata>(stream, JsonDefaults.Options, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException($"Empty sandbox metadata in {path}.");
    }

    public async Task SaveAsync(string path, CancellationToken cancellationToken)
    {
        string temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(this, JsonDefaults.Options), cancellationToken).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }
}
