using System.Runtime.CompilerServices;
using CodingAgent.Configuration;
using CodingAgent.Storage;
using Microsoft.Extensions.Options;

namespace CodingAgent.Sandboxes.Local;

/// <summary>
/// Sandboxes as directories under a root folder on this machine: real <c>git</c>, real processes, each background
/// process in its own process group so a kill takes its whole tree. The agent's world is <c>&lt;root&gt;/&lt;id&gt;/home</c>
/// (<see cref="LocalSandboxLayout"/>); the provider's records are kept apart in <c>&lt;root&gt;/.state/&lt;id&gt;</c>
/// (<see cref="LocalSandboxState"/>) and validated on every read. Isolation is by directory and environment only — the
/// agent runs as the same OS user as the control plane — so this provider is for one developer's machine and for tests,
/// not for untrusted code. A local sandbox has no timeout of its own: the janitor kills it once it has expired.
/// </summary>
public sealed class LocalSandboxProvider(IOptions<SandboxOptions> options, TimeProvider time) : ISandboxProvider
{
    public const string ProviderName = "local";
    private const string IdPrefix = "lsb-";

    private readonly string root = options.Value.Local.Root is { Length: > 0 } configured
        ? Path.GetFullPath(configured)
        : Path.Combine(AppDataPaths.Root, "sandboxes");

    public string Name => ProviderName;

    public string Root => root;

    public async Task<ISandbox> CreateAsync(SandboxCreateRequest request, CancellationToken cancellationToken)
    {
        string id = IdPrefix + Guid.NewGuid().ToString("N")[..20];
        LocalSandboxLayout layout = new(root, id);
        layout.Create();
        DateTimeOffset now = time.GetUtcNow();
        LocalSandboxMetadata metadata = new(id, now, now + request.Timeout, request.Metadata, request.EnvVars ?? new Dictionary<string, string>());
        await metadata.SaveAsync(layout.State.MetadataFile, cancellationToken).ConfigureAwait(false);
        return new LocalSandbox(layout, metadata);
    }

    public async Task<ISandbox?> ConnectAsync(string sandboxId, CancellationToken cancellationToken)
    {
        LocalSandboxLayout? layout = LayoutOf(sandboxId);
        if (layout is null || !File.Exists(layout.State.MetadataFile))
        {
            return null;
        }

        LocalSandboxMetadata metadata = await LocalSandboxMetadata.TryLoadAsync(layout.State.MetadataFile, sandboxId, cancellationToken).ConfigureAwait(false)
            ?? throw new SandboxException($"The metadata of sandbox {sandboxId} is not readable.");
        return new LocalSandbox(layout, metadata);
    }

    public async IAsyncEnumerable<SandboxInfo> ListAsync(
        IReadOnlyDictionary<string, string> metadata, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string states = Path.Combine(root, LocalSandboxState.FolderName);
        if (!Directory.Exists(states))
        {
            yield break;
        }

        foreach (string dir in Directory.EnumerateDirectories(states, IdPrefix + "*"))
        {
            // Being created or deleted right now, or not well-formed: skipped, never a reason to stop listing.
            if (LayoutOf(Path.GetFileName(dir)) is not { } layout
                || await LocalSandboxMetadata.TryLoadAsync(layout.State.MetadataFile, Path.GetFileName(dir), cancellationToken).ConfigureAwait(false) is not { } found)
            {
                continue;
            }

            if (metadata.All(pair => found.Metadata.TryGetValue(pair.Key, out string? value) && value == pair.Value))
            {
                yield return new SandboxInfo(found.Id, SandboxState.Running, found.CreatedAt, found.ExpiresAt, found.Metadata);
            }
        }
    }

    public async Task<DateTimeOffset> SetTimeoutAsync(string sandboxId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        LocalSandboxLayout layout = LayoutOf(sandboxId) ?? throw new SandboxException($"Sandbox {sandboxId} does not exist.");
        LocalSandboxMetadata metadata = await LocalSandboxMetadata.TryLoadAsync(layout.State.MetadataFile, sandboxId, cancellationToken).ConfigureAwait(false)
            ?? throw new SandboxException($"Sandbox {sandboxId} does not exist or its metadata is not readable.");
        DateTimeOffset end = time.GetUtcNow() + timeout;
        await (metadata with { ExpiresAt = end }).SaveAsync(layout.State.MetadataFile, cancellationToken).ConfigureAwait(false);
        return end;
    }

    public async Task<bool> KillAsync(string sandboxId, CancellationToken cancellationToken)
    {
        LocalSandboxLayout? layout = LayoutOf(sandboxId);
        if (layout is null || (!Directory.Exists(layout.Directory) && !Directory.Exists(layout.State.Directory)))
        {
            return false;
        }

        await ProcessGroups.KillAllAsync(layout.State.Processes(), cancellationToken).ConfigureAwait(false);
        try
        {
            // The state goes last: a sandbox that could not be deleted whole is still listed, and the next kill tries again.
            DeleteIfExists(layout.Directory);
            DeleteIfExists(layout.State.Directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SandboxException($"Sandbox {sandboxId} could not be deleted: {ex.Message}", ex);
        }

        return true;
    }

    private static void DeleteIfExists(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private LocalSandboxLayout? LayoutOf(string sandboxId) =>
        sandboxId.StartsWith(IdPrefix, StringComparison.Ordinal) && sandboxId.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? new LocalSandboxLayout(root, sandboxId)
            : null;
}
