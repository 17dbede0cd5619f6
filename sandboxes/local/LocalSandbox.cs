using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CodingAgent.Sandboxes.Local;

/// <summary>
/// One local sandbox: commands run as <c>bash -c</c> in their own process group (setsid), with HOME in the sandbox and an
/// allow-listed environment (<see cref="SandboxEnvironment"/>). Background processes are recorded in the provider's
/// state with their start time, so a later signal reaches them and nothing else.
/// </summary>
internal sealed class LocalSandbox(LocalSandboxLayout layout, LocalSandboxMetadata metadata) : ISandbox
{
    public string Id => metadata.Id;

    public string HomePath => layout.Home;

    public Task<bool> IsAliveAsync(CancellationToken cancellationToken) => Task.FromResult(Directory.Exists(layout.Home));

    public async Task<CommandResult> RunAsync(CommandSpec spec, CancellationToken cancellationToken)
    {
        // setsid: the command leads its own process group, so a timeout kills everything it started.
        using Process process = new() { StartInfo = StartInfo(spec, "setsid", "--wait", "/bin/bash", "-c", spec.Command) };
        OutputTail stdout = new(spec.MaxOutputBytes);
        OutputTail stderr = new(spec.MaxOutputBytes);
        process.Start();
        ProcessRecord? record = ProcessRecord.Capture(process.Id);
        // Raw reads into bounded tails: the line readers of Process would hold a line of any length.
        Task readers = Task.WhenAll(
            CopyAsync(process.StandardOutput.BaseStream, stdout),
            CopyAsync(process.StandardError.BaseStream, stderr));

        using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (spec.Timeout is { } timeout)
        {
            limit.CancelAfter(timeout);
        }

        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            if (record is not null)
            {
                await ProcessGroups.SignalAsync(record, ProcessSignal.Kill, CancellationToken.None).ConfigureAwait(false);
            }

            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await readers.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return new CommandResult(-1, stdout.ToString(), stderr.ToString(), TimedOut: true);
        }

        await readers.ConfigureAwait(false);
        return new CommandResult(process.ExitCode, stdout.ToString(), stderr.ToString(), TimedOut: false);
    }

    public async Task<IProcessHandle> StartAsync(CommandSpec spec, CancellationToken cancellationToken)
    {
        string output = Path.Combine(layout.LogsDirectory, "out-" + Guid.NewGuid().ToString("N")[..12] + ".log");
        // The launcher shell exits at once; the process, in its own session, outlives it and the control plane,
        // just as a process in a remote sandbox would. Its output goes to a file, never to a pipe that could break.
        const string Launcher = "setsid /bin/bash -c \"$1\" >\"$2\" 2>&1 </dev/null & echo $!";
        using Process launcher = new() { StartInfo = StartInfo(spec, "/bin/bash", "-c", Launcher, "launcher", spec.Command, output) };
        launcher.Start();
        string pidText = await launcher.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        int pid = int.Parse(pidText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
        // Its start time, read at once: what tells this process from a later one with the same pid.
        ProcessRecord? record = ProcessRecord.Capture(pid);
        await launcher.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (record is not null)
        {
            await layout.State.RecordAsync(record, cancellationToken).ConfigureAwait(false);
            await ProcessGroups.WaitUntilLeaderAsync(record, cancellationToken).ConfigureAwait(false);
        }

        return new LocalProcessHandle(pid, record, output);
    }

    public Task<bool> IsProcessRunningAsync(string processRef, CancellationToken cancellationToken) =>
        Task.FromResult(Recorded(processRef)?.Current() is not null);

    public Task<bool> SignalAsync(string processRef, ProcessSignal signal, CancellationToken cancellationToken) =>
        Recorded(processRef) is { } record ? ProcessGroups.SignalAsync(record, signal, cancellationToken) : Task.FromResult(false);

    public Task<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken) =>
        File.ReadAllBytesAsync(layout.Resolve(path), cancellationToken);

    public async Task WriteFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        string full = layout.Resolve(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllBytesAsync(full, content, cancellationToken).ConfigureAwait(false);
    }

    public Task<PortEndpoint> GetPortEndpointAsync(int port, CancellationToken cancellationToken) =>
        Task.FromResult(new PortEndpoint(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"), new Dictionary<string, string>()));

    private ProcessRecord? Recorded(string processRef) =>
        int.TryParse(processRef, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? layout.State.Find(pid) : null;

    private ProcessStartInfo StartInfo(CommandSpec spec, string fileName, params string[] arguments)
    {
        ProcessStartInfo info = new(fileName)
        {
            WorkingDirectory = spec.WorkingDirectory is { } dir ? layout.Resolve(dir) : layout.Home,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        SandboxEnvironment.Build(info.Environment, layout, metadata.EnvVars, spec.Env);
        return info;
    }

    private static async Task CopyAsync(Stream source, OutputTail tail)
    {
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            tail.Write(buffer.AsSpan(0, read));
        }
    }
}
