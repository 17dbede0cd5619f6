using System.Text.Json;
using CodingAgent.Json;
using CodingAgent.Storage;

namespace CodingAgent.Sandboxes.Local;

/// <summary>What the provider knows of a sandbox, saved in its state (<see cref="LocalSandboxState.MetadataFile"/>).</summary>
internal sealed record LocalSandboxMetadata(
    string Id,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyDictionary<string, string> EnvVars)
{
    private const long MaxBytes = 1 << 20;

    /// <summary>
    /// The metadata of sandbox <paramref name="id"/>; null when the file is missing, being written, or not well-formed
    /// (wrong id, missing members, env var names that are not names) — it is never trusted as found.
    /// </summary>
    public static async Task<LocalSandboxMetadata?> TryLoadAsync(string path, string id, CancellationToken cancellationToken)
    {
        LocalSandboxMetadata? found;
        try
        {
            if (new FileInfo(path) is not { Exists: true, Length: < MaxBytes, LinkTarget: null })
            {
                return null;
            }

            await using FileStream stream = File.OpenRead(path);
            found = await JsonSerializer.DeserializeAsync<LocalSandboxMetadata>(stream, JsonDefaults.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return null;
        }

        return found is { Metadata: not null, EnvVars: not null } && found.Id == id && found.EnvVars.Keys.All(IsName) ? found : null;
    }

    public async Task SaveAsync(string path, CancellationToken cancellationToken)
    {
        string temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(this, JsonDefaults.Options), cancellationToken).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }

    private static bool IsName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
