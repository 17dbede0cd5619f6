using System.Globalization;
using System.Text;

namespace CodingAgent.Sandboxes.E2B;

/// <summary>
/// One E2B sandbox, driven through its envd. Commands run as <c>/bin/bash -c</c>, not as a login shell (E2B's SDKs use
/// <c>bash -l</c>): a login shell sources <c>~/.bash_profile</c> or <c>~/.profile</c>, which the agent can write, and the
/// control plane's own commands (the push among them) must not run anything the agent left behind.
/// </summary>
internal sealed class E2BSandbox(string id, string homePath, SandboxAddress address, EnvdClient envd) : ISandbox
{
    /// <summary>
    /// The template's PATH (infra/e2b: the image's default; <c>opencode</c> is installed into <c>/usr/local/bin</c>), set
    /// on every command: without a login shell nothing else sets it, and no agent-writable folder (<c>~/.local/bin</c>) is on it.
    /// </summary>
    internal const string TemplatePath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    // envd enforces a command's timeout by killing it; this grace only covers the answer's way back.
    private static readonly TimeSpan ReplyGrace = TimeSpan.FromSeconds(10);

    public string Id { get; } = id;

    public string HomePath { get; } = homePath;

    /// <summary>
    /// False only when E2B says the sandbox is gone. A transient failure (429, 503, the network) throws a
    /// <see cref="SandboxException"/> instead: it says nothing about whether the sandbox lives, so it must not end a run.
    /// </summary>
    public async Task<bool> IsAliveAsync(CancellationToken cancellationToken) =>
        await envd.CheckHealthAsync(cancellationToken).ConfigureAwait(false) switch
        {
            EnvdHealth.Healthy => true,
            EnvdHealth.Gone => false,
            _ => throw new SandboxException($"Could not tell whether sandbox {Id} lives: its envd health check failed transiently (rate limit, overload or network)."),
        };

    public Task<CommandResult> RunAsync(CommandSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return RunInAsync(envd, Start(spec, HomePath), spec.Timeout, cancellationToken, spec.MaxOutputBytes);
    }

    /// <summary>Runs a command to its end; also used before the home folder is known (<paramref name="start"/> then has no cwd).</summary>
    internal static async Task<CommandResult> RunInAsync(
        EnvdClient envd, StartRequest start, TimeSpan? timeout, CancellationToken cancellationToken, int maxOutputBytes = CommandSpec.DefaultMaxOutputBytes)
    {
        using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t)
        {
            limit.CancelAfter(t + ReplyGrace);
        }

        OutputTail stdout = new(maxOutputBytes);
        OutputTail stderr = new(maxOutputBytes);
        uint? pid = null;
        try
        {
            await using ProcessStream stream = await envd.StartAsync(start, timeout, limit.Token).ConfigureAwait(false);
            await foreach (ProcessEvent processEvent in stream.EventsAsync(limit.Token).ConfigureAwait(false))
            {
                pid ??= processEvent.Start?.Pid;
                if (processEvent.Data is { } data)
                {
                    (data.Stdout is null ? stderr : stdout).Write(data.Stdout ?? data.Stderr ?? []);
                }

                if (processEvent.End is { } end)
                {
                    // A command envd killed at its deadline ends "signal: killed" with exit code -1.
                    bool killed = !end.Exited && timeout is not null;
                    return new CommandResult(end.ExitCode, stdout.ToString(), stderr.ToString(), TimedOut: killed);
                }
            }

            throw new ConnectException(ConnectCodes.Unknown, "the command's stream ended without its end event");
        }
        catch (ConnectException ex) when (ex.Code == ConnectCodes.DeadlineExceeded && timeout is not null)
        {
            return new CommandResult(-1, stdout.ToString(), stderr.ToString(), TimedOut: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeout is not null)
        {
            if (pid is { } running)
            {
                await envd.SignalAsync(running, ProcessSignal.Kill, CancellationToken.None).ConfigureAwait(false);
            }

            return new CommandResult(-1, stdout.ToString(), stderr.ToString(), TimedOut: true);
        }
    }

    public async Task<IProcessHandle> StartAsync(CommandSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        // No lifetime: Connect-Timeout-Ms would be the process's lifetime, and this one must outlive every call.
        ProcessStream stream = await envd.StartAsync(Start(spec, HomePath), lifetime: null, cancellationToken).ConfigureAwait(false);
        try
        {
            await foreach (ProcessEvent processEvent in stream.EventsAsync(cancellationToken).ConfigureAwait(false))
            {
                if (processEvent.Start is { } started)
                {
                    return new E2BProcessHandle(started.Pid, stream);
                }
            }

            throw new ConnectException(ConnectCodes.Unknown, "the process stream ended before the process started");
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<bool> IsProcessRunningAsync(string processRef, CancellationToken cancellationToken) =>
        Pid(processRef) is { } pid && (await envd.ListProcessesAsync(cancellationToken).ConfigureAwait(false)).Any(p => p.Pid == pid);

    public Task<bool> SignalAsync(string processRef, ProcessSignal signal, CancellationToken cancellationToken) =>
        Pid(processRef) is { } pid ? envd.SignalAsync(pid, signal, cancellationToken) : Task.FromResult(false);

    public Task<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken) => envd.ReadFileAsync(Resolve(path), cancellationToken);

    public Task WriteFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        envd.WriteFileAsync(Resolve(path), content, cancellationToken);

    public Task<PortEndpoint> GetPortEndpointAsync(int port, CancellationToken cancellationToken) => Task.FromResult(address.Port(port));

    internal static StartRequest Start(CommandSpec spec, string? homePath)
    {
        Dictionary<string, string> env = new(spec.Env ?? new Dictionary<string, string>()) { ["GIT_TERMINAL_PROMPT"] = "0" };
        env.TryAdd("PATH", TemplatePath);
        string? cwd = spec.WorkingDirectory is { } dir ? ResolveIn(homePath, dir) : homePath;
        return new StartRequest(new ProcessConfig("/bin/bash", ["-c", spec.Command], env, cwd), Tag: null, Stdin: false);
    }

    private string Resolve(string path) => ResolveIn(HomePath, path);

    private static string ResolveIn(string? homePath, string path) =>
        path.StartsWith('/') || homePath is null ? path : homePath.TrimEnd('/') + "/" + path;

    private static uint? Pid(string processRef) =>
        uint.TryParse(processRef, NumberStyles.None, CultureInfo.InvariantCulture, out uint pid) ? pid : null;

}
