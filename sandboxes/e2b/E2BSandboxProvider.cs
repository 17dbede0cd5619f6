using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CodingAgent.Configuration;
using Microsoft.Extensions.Options;

namespace CodingAgent.Sandboxes.E2B;

/// <summary>
/// Sandboxes on E2B (docs/e2b.md): created from the OpenCode template with the run's tags and an explicit timeout,
/// found again by id (connect) or by tags (list), killed when the run ends.
/// </summary>
public sealed class E2BSandboxProvider(E2BApiClient api, IHttpClientFactory httpClients, IOptions<SandboxOptions> options, TimeProvider time)
    : ISandboxProvider
{
    /// <summary>
    /// The oldest envd this client works with (docs/e2b.md §6.6): <c>stdin: false</c> needs 0.3.0, sending no user (the template's
    /// default) 0.4.0, and uploading a file as <c>application/octet-stream</c> 0.5.7.
    /// </summary>
    private static readonly Version OldestEnvd = new(0, 5, 7);

    // Attaching costs a control-plane call, and every activity and API message attaches, so an attachment is reused for a
    // short while. A sandbox that died meanwhile then fails its next call (envd and the proxy answer 502 → gone).
    private static readonly TimeSpan ReuseAttachmentFor = TimeSpan.FromSeconds(30);

    // The template user's home never changes for a sandbox, so it is asked for once per sandbox and process.
    private readonly ConcurrentDictionary<string, string> homes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (E2BSandbox Sandbox, long At)> attached = new(StringComparer.Ordinal);

    public string Name => SandboxOptions.E2BProvider;

    private E2BSandboxOptions Settings => options.Value.E2B;

    public async Task<ISandbox> CreateAsync(SandboxCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(Settings.ApiKey))
        {
            throw new SandboxException("The E2B provider needs an API key: set CodingAgent__Sandbox__E2B__ApiKey.");
        }

        NewSandbox body = new(
            Settings.Template,
            // E2B refuses a timeout beyond the plan's longest life rather than clamping it.
            (int)Math.Ceiling(Math.Min(request.Timeout.TotalSeconds, Settings.MaxLifetimeMinutes * 60.0)),
            request.Metadata,
            request.EnvVars is { Count: > 0 } env ? env : null,
            AutoPause: false,
            new SandboxNetwork(Settings.AllowPublicTraffic),
            Secure: null);
        CreatedSandbox created = await api.CreateAsync(body, cancellationToken).ConfigureAwait(false);
        if (created.EnvdVersion is { } reported && Version.TryParse(reported, out Version? version) && version < OldestEnvd)
        {
            await api.KillAsync(created.SandboxId, CancellationToken.None).ConfigureAwait(false);
            throw new SandboxException($"Template '{Settings.Template}' runs envd {reported}; at least {OldestEnvd} is needed. Rebuild it from infra/e2b/.");
        }

        return await AttachAsync(created, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ISandbox?> ConnectAsync(string sandboxId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sandboxId);
        if (attached.TryGetValue(sandboxId, out var recent) && time.GetElapsedTime(recent.At) < ReuseAttachmentFor)
        {
            return recent.Sandbox;
        }

        CreatedSandbox? connected = await api.ConnectAsync(sandboxId, cancellationToken).ConfigureAwait(false);
        if (connected is null)
        {
            Forget(sandboxId);
            return null;
        }

        return await AttachAsync(connected, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<SandboxInfo> ListAsync(IReadOnlyDictionary<string, string> metadata, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (ListedSandbox listed in api.ListAsync(metadata, cancellationToken).ConfigureAwait(false))
        {
            SandboxState state = listed.State switch
            {
                "running" => SandboxState.Running,
                "paused" => SandboxState.Paused,
                _ => SandboxState.Unknown,
            };
            yield return new SandboxInfo(listed.SandboxId, state, listed.StartedAt, listed.EndAt, listed.Metadata ?? []);
        }
    }

    public Task<DateTimeOffset> SetTimeoutAsync(string sandboxId, TimeSpan timeout, CancellationToken cancellationToken) =>
        api.SetTimeoutAsync(sandboxId, timeout, cancellationToken);

    public async Task<bool> KillAsync(string sandboxId, CancellationToken cancellationToken)
    {
        Forget(sandboxId);
        return await api.KillAsync(sandboxId, cancellationToken).ConfigureAwait(false);
    }

    private void Forget(string sandboxId)
    {
        homes.TryRemove(sandboxId, out _);
        attached.TryRemove(sandboxId, out _);
    }

    private async Task<E2BSandbox> AttachAsync(CreatedSandbox sandbox, CancellationToken cancellationToken)
    {
        SandboxAddress address = SandboxAddress.For(sandbox, Settings);
        EnvdClient envd = new(httpClients, address, sandbox.EnvdAccessToken);
        if (!homes.TryGetValue(sandbox.SandboxId, out string? home))
        {
            CommandResult answer = await E2BSandbox.RunInAsync(
                envd, E2BSandbox.Start(new CommandSpec("printf %s \"$HOME\""), homePath: null), TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            if (!answer.Succeeded || !answer.Stdout.StartsWith('/'))
            {
                throw new SandboxException($"The sandbox {sandbox.SandboxId} did not say where its home folder is (exit {answer.ExitCode}): {answer.Stderr.Trim()}");
            }

            home = homes.GetOrAdd(sandbox.SandboxId, answer.Stdout.TrimEnd('/'));
        }

        E2BSandbox attachment = new(sandbox.SandboxId, home, address, envd);
        foreach ((string id, (E2BSandbox _, long at)) in attached)
        {
            if (time.GetElapsedTime(at) >= ReuseAttachmentFor)
            {
                attached.TryRemove(id, out _);
            }
        }

        attached[sandbox.SandboxId] = (attachment, time.GetTimestamp());
        return attachment;
    }
}
