using System.Runtime.CompilerServices;
using System.Text.Json;
using CodingAgent.Hosting.Options;
using CodingAgent.Storage;
using Microsoft.Extensions.Options;

namespace CodingAgent.Sandboxes.Local;

/// <summary>
/// Sandboxes as directories under a root folder on this machine: real <c>git</c>, real processes, each background
/// process in its own process group so a kill takes its whole tree. Isolation is by directory and environment only —
/// this provider is for one developer's machine and for tests, not for untrusted code.
/// </summary>
public sealed class LocalSandboxProvider(IOptions<CodingAgentOptions> options, TimeProvider time) : ISandboxProvider
{
    public const string ProviderName = "local";

    private readonly string root = options.Value.Sandbox.Local.Root is { Length: > 0 } configured
        ? Path.GetFullPath(configured)
        : Path.Combine(AppDataPaths.Root, "sandboxes");

    public string Name => ProviderName;

    public string Root => root;

    public async Task<ISandbox> CreateAsync(SandboxCreateRequest request, CancellationToken cancellationToken)
    {
        string id = "lsb-" + Guid.NewGuid().ToString("N")[..20];
        LocalSandboxLayout layout = new(Path.Combine(root, id));
        layout.Create();
        DateTimeOffset now = time.GetUtcNow();
        LocalSandboxMetadata metadata = new(id, now, now + request.Timeout, request.Metadata, request.EnvVars ?? new Dictionary<string, string>());
        await metadata.SaveAsync(layout.MetadataFile, cancellationToken).ConfigureAwait(false);
        return new LocalSandbox(layout, metadata);
    }

    public async Task<ISandbox?> ConnectAsync(string sandboxId, CancellationToken cancellationToken)
    {
        LocalSandboxLayout? layout = LayoutOf(sandboxId);
        if (layout is null || !File.Exists(layout.MetadataFile))
        {
            return null;
        }

        LocalSandboxMetadata metadata = await LocalSandboxMetadata.LoadAsync(layout.MetadataFile, cancellationToken).ConfigureAwait(false);
        return new LocalSandbox(layout, metadata);
    }

    public async IAsyncEnumerable<SandboxInfo> ListAsync(
        IReadOnlyDictionary<string, string> metadata, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!Directory.Exists(root))
        {
            yield break;
        }

        foreach (string dir in Directory.EnumerateDirectories(root, "lsb-*"))
        {
            LocalSandboxLayout layout = new(dir);
            LocalSandboxMetadata found;
            try
            {
                found = await LocalSandboxMetadata.LoadAsync(layout.MetadataFile, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or JsonException)
            {
                continue; // being created or deleted right now
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
        LocalSandboxMetadata metadata = await LocalSandboxMetadata.LoadAsync(layout.MetadataFile, cancellationToken).ConfigureAwait(false);
        DateTimeOffset end = time.GetUtcNow() + timeout;
        await (metadata with { ExpiresAt = end }).SaveAsync(layout.MetadataFile, cancellationToken).ConfigureAwait(false);
        return end;
    }

    public async Task<bool> KillAsync(string sandboxId, CancellationToken cancellationToken)
    {
        LocalSandboxLayout? layout = LayoutOf(sandboxId);
        if (layout is null || !Directory.Exists(layout.Directory))
        {
            return false;
        }

        await ProcessGroups.KillAllAsync(layout.RegisteredProcessIds(), cancellationToken).ConfigureAwait(false);
        Directory.Delete(layout.Directory, recursive: true);
        return true;
    }

    private LocalSandboxLayout? LayoutOf(string sandboxId) =>
        sandboxId.StartsWith("lsb-", StringComparison.Ordinal) && sandboxId.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? new LocalSandboxLayout(Path.Combine(root, sandboxId))
            : null;
}
